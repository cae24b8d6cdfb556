#!/usr/bin/env bash
# Starts the control plane in a temp dir and checks what the e2e tests rely
# on. Usage: ./smoke-test.sh [BINARY]   (default: built by ./build.sh)
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
bin="${1:-$("$here/build.sh" | tail -1)}"
dir="$(mktemp -d)"
pass=0 fail=0
ok()  { echo "ok   - $*"; pass=$((pass+1)); }
bad() { echo "FAIL - $*"; fail=$((fail+1)); }
check() { local what="$1"; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi; }
refuse() { local what="$1"; shift; if "$@" >/dev/null 2>&1; then bad "$what"; else ok "$what"; fi; }
k() { "$bin" kubectl --kubeconfig "$dir/kubeconfig" "$@"; }
eventually() { local what="$1"; shift; for _ in $(seq 1 60); do "$@" >/dev/null 2>&1 && { ok "$what"; return; }; sleep 0.5; done; bad "$what"; }

coproc UP { exec "$bin" up --dir "$dir" --exit-on-stdin-close 2>"$dir.up.log"; }
up_pid=$UP_PID
read -r -t 180 line <&"${UP[0]}" || line=""
case "$line" in ready\ kubeconfig=*) ok "up: $line" ;; *) bad "up printed '$line'"; cat "$dir.up.log"; kill "$up_pid"; exit 1 ;; esac

check "server version is $("$bin" version)" bash -c "'$bin' kubectl --kubeconfig '$dir/kubeconfig' version -o json | grep -q '\"gitVersion\": \"$("$bin" version)\"'"
check "readyz" k get --raw '/readyz?verbose'
check "namespace" k create ns smoke
check "label restricted" k label ns smoke pod-security.kubernetes.io/enforce=restricted
eventually "default ServiceAccount appears" k get sa default -n smoke
refuse "privileged Pod refused" k run priv -n smoke --image=busybox --overrides='{"spec":{"containers":[{"name":"priv","image":"busybox","securityContext":{"privileged":true}}]}}'
check "TokenRequest" k create token default -n smoke
check "namespace plain" k create ns plain
check "deployment" k create deployment web -n plain --image=nginx --replicas=2
eventually "deployment -> ReplicaSet -> 2 Pods" bash -c "[ \"\$('$bin' kubectl --kubeconfig '$dir/kubeconfig' get pods -n plain -l app=web -o name | wc -l)\" = 2 ]"
check "job" k create job j -n plain --image=busybox -- true
eventually "job -> Pod" bash -c "'$bin' kubectl --kubeconfig '$dir/kubeconfig' get pods -n plain -l job-name=j -o name | grep -q pod/"
cat > "$dir/crd.yaml" <<'Y'
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.example.com}
spec:
  group: example.com
  names: {kind: Widget, plural: widgets}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            x-kubernetes-validations: [{rule: "self.min <= self.max"}]
            properties: {min: {type: integer}, max: {type: integer}}
Y
check "CRD with CEL rule" k apply -f "$dir/crd.yaml"
check "CRD established" k wait --for=condition=Established crd/widgets.example.com --timeout=30s
printf 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: bad}\nspec: {min: 5, max: 1}\n' > "$dir/bad.yaml"
printf 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: good}\nspec: {min: 1, max: 5}\n' > "$dir/good.yaml"
out="$(k apply -n plain -f "$dir/bad.yaml" 2>&1)"
if grep -q 'self.min <= self.max' <<<"$out"; then ok "CEL rule rejects a bad object"; else bad "CEL rule: $out"; fi
check "server-side apply" k apply --server-side -n plain -f "$dir/good.yaml"
check "delete namespace" k delete ns plain --timeout=120s
refuse "namespace gone" k get ns plain

children="$(ps -o pid= --ppid "$up_pid" | tr '\n' ' ')"
exec {UP[1]}>&-   # stdin EOF -> up stops its children
for _ in $(seq 1 100); do kill -0 "$up_pid" 2>/dev/null || break; sleep 0.2; done
refuse "up exited on stdin EOF" kill -0 "$up_pid"
left=""; for p in $children; do kill -0 "$p" 2>/dev/null && left+=" $p"; done
if [ -z "$left" ]; then ok "no child left (${children% })"; else bad "children left:$left"; fi
rm -rf "$dir" "$dir.up.log"
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
