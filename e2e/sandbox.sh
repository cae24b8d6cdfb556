#!/usr/bin/env bash
# Backtrack without a cluster: builds what it needs, starts PostgreSQL (sample "shop" database), S3Proxy,
# the mock Kubernetes API server, the operator and the local Job runner, applies
# manifests/examples/sandbox/*.yaml plus any MANIFEST given, and follows each resource to its final phase.
#
#   e2e/sandbox.sh [--keep] [MANIFEST...]
#
# Ports (override with the variables): BACKTRACK_SANDBOX_PG_PORT=15432, BACKTRACK_SANDBOX_S3_PORT=19000,
# BACKTRACK_SANDBOX_API_PORT=18080. Exits non-zero if a resource ends Failed, unless its manifest carries
# the annotation backtrack.io/sandbox-expect: Failed.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "sandbox: installing the PostgreSQL server from Debian" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

if [ -z "${BACKTRACK_SANDBOX_SKIP_BUILD:-}" ]; then
  echo "sandbox: building (./mvnw package -DskipTests) ..." >&2
  ./mvnw -q -B -DskipTests package >&2
fi

exec java -cp "e2e/target/classes:$(cat e2e/target/classpath.txt)" -Dbacktrack.root="$PWD" \
  io.backtrack.e2e.sandbox.Sandbox "$@"
