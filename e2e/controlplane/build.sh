#!/usr/bin/env bash
# Builds backtrack-controlplane (the real Kubernetes control plane in one
# binary) into a per-user cache, only when its sources changed, and prints
# the binary's absolute path as the LAST line of stdout. Progress goes to
# stderr.
#
#   BACKTRACK_CONTROLPLANE_BIN  output path (default:
#       ${XDG_CACHE_HOME:-$HOME/.cache}/backtrack/controlplane/<key>/backtrack-controlplane,
#       <key> = hash of go.mod, go.sum, *.go and this script)
#   GO                          go command (default: go on PATH, else /usr/local/go/bin/go)
#
# GOMODCACHE and GOCACHE stay at Go's defaults, so they persist across runs.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$here"

log() { echo "controlplane: $*" >&2; }

GO="${GO:-}"
if [[ -z "$GO" ]]; then
  if command -v go >/dev/null 2>&1; then GO="$(command -v go)"
  elif [[ -x /usr/local/go/bin/go ]]; then GO=/usr/local/go/bin/go
  else log "error: no go command (install Go 1.26+, or set GO=/path/to/go)"; exit 1
  fi
fi

key="$(cat go.mod go.sum build.sh $(LC_ALL=C ls *.go) | sha256sum | cut -c1-16)"
default_bin="${XDG_CACHE_HOME:-$HOME/.cache}/backtrack/controlplane/$key/backtrack-controlplane"
bin="${BACKTRACK_CONTROLPLANE_BIN:-$default_bin}"
case "$bin" in /*) ;; *) bin="$PWD/$bin" ;; esac
stamp="$bin.key"

up_to_date() { [[ -x "$bin" && -f "$stamp" && "$(cat "$stamp")" == "$key" ]]; }

if up_to_date; then
  echo "$bin"
  exit 0
fi

mkdir -p "$(dirname "$bin")"
# One builder at a time; the others wait and then find the binary built.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$bin.lock"
  if ! flock -n 9; then
    log "another build of $bin is running, waiting for it ..."
    flock 9
  fi
  if up_to_date; then
    echo "$bin"
    exit 0
  fi
else
  log "warning: flock not found, building without a lock"
fi

k8s_version="$(awk '$1 == "k8s.io/kubernetes" && $2 ~ /^v/ { print $2; exit }' go.mod)"
if [[ -z "$k8s_version" ]]; then
  log "error: go.mod does not require k8s.io/kubernetes"; exit 1
fi
major="${k8s_version#v}"; major="${major%%.*}"
minor="${k8s_version#v*.}"; minor="${minor%%.*}"
build_date="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
ldflags="-s -w"
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  ldflags+=" -X $pkg.gitVersion=$k8s_version -X $pkg.gitMajor=$major -X $pkg.gitMinor=$minor"
  ldflags+=" -X $pkg.gitCommit=module-$k8s_version -X $pkg.gitTreeState=clean -X $pkg.buildDate=$build_date"
done

log "building k8s $k8s_version with $("$GO" env GOVERSION) into $bin (a first build takes 5-15 minutes on 2 cores; later ones seconds) ..."
start=$(date +%s)
tmp="$bin.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# -mod=readonly: go.sum is complete; a build never edits go.mod/go.sum.
if ! CGO_ENABLED=0 "$GO" build -mod=readonly -trimpath -ldflags "$ldflags" -o "$tmp" . >&2; then
  log "error: go build failed (see above)"
  exit 1
fi
mv -f "$tmp" "$bin"
echo "$key" > "$stamp"
# Keep the cache small: only the 3 most recent builds in the default place.
if [[ -z "${BACKTRACK_CONTROLPLANE_BIN:-}" ]]; then
  cache_root="$(dirname "$(dirname "$bin")")"
  ls -1dt "$cache_root"/*/ 2>/dev/null | tail -n +4 | while read -r old; do
    if [[ -e "${old%/}/backtrack-controlplane.key" ]]; then rm -rf "${old%/}"; fi
  done
fi
log "built in $(( $(date +%s) - start ))s: $("$bin" version)"
echo "$bin"
