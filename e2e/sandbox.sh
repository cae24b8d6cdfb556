#!/usr/bin/env bash
# Backtrack without a cluster: starts PostgreSQL (sample "shop" database), S3Proxy, the real Kubernetes control
# plane (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, built from Go modules by
# e2e/controlplane/build.sh) with a node runner standing in for the kubelet, and the operator with the Helm chart's
# RBAC; prints `export KUBECONFIG=...` for any kubectl (the bundled one of the same version is put on that PATH);
# applies manifests/examples/sandbox/*.yaml plus any MANIFEST given, and follows each resource to its final phase,
# printing its status as one line of JSON.
#
#   e2e/sandbox.sh [--keep] [MANIFEST...]
#
#   --keep     then stay up until Ctrl-C (kubectl apply, get, describe, wait against it), and print the PostgreSQL
#              and S3 credentials, valid until then
#   -h, --help this text (no build needed)
#
# Without --keep it exits when every resource has finished: 0, or 1 if one ended otherwise than expected (a manifest
# may expect Failed with the annotation backtrack.io/sandbox-expect: Failed) or made no progress for
# BACKTRACK_SANDBOX_STALL_SECONDS (120; reported with its status and its Pod's state). Ctrl-C, or the end, stops every
# process it started (and nothing else) and removes their files.
#
# Ports (override with the variables): BACKTRACK_SANDBOX_PG_PORT=15432, BACKTRACK_SANDBOX_S3_PORT=19000,
# BACKTRACK_SANDBOX_API_PORT=16443 (the API server); a port already taken is named with its owner. Builds what is
# missing or out of date first (./mvnw package; the first time also the control plane, 5-10 minutes; needs Go 1.26+).
set -euo pipefail
cd "$(dirname "$0")/.."

for a in "$@"; do
  case "$a" in
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  esac
done

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "sandbox: installing the PostgreSQL server from Debian" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq postgresql >/dev/null
fi

# Up to date: the jars and the classpath exist and no source or pom is newer than the classpath file.
built() {
  local stamp=e2e/target/classpath.txt
  [ -f "$stamp" ] && [ -f operator/agent/target/backtrack-agent.jar ] \
    && [ -f operator/controller/target/quarkus-app/quarkus-run.jar ] && [ -d e2e/target/classes ] \
    && [ -z "$(find pom.xml operator e2e/pom.xml e2e/src e2e/controlplane -newer "$stamp" -type f \
                 -not -path '*/target/*' -print -quit)" ]
}
if [ -z "${BACKTRACK_SANDBOX_SKIP_BUILD:-}" ] && ! built; then
  echo "sandbox: building (./mvnw package -DskipTests: about a minute; the first time also the Kubernetes control plane," \
       "5-10 minutes, its progress below) ..." >&2
  ./mvnw -q -B -DskipTests package >&2
  touch e2e/target/classpath.txt
fi

# Quiet: the sandbox says what happens (lines "sandbox: ..."); the Pods' and the operator's logs are files it names.
exec java -cp "e2e/target/classes:$(cat e2e/target/classpath.txt)" -Dbacktrack.root="$PWD" \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -Dorg.slf4j.simpleLogger.log.io.fabric8.kubernetes.client.dsl.internal.VersionUsageUtils=error \
  io.backtrack.e2e.sandbox.Sandbox "$@"
