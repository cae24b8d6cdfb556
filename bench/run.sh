#!/usr/bin/env bash
# Backtrack benchmarks (issue 6): reproduces docs/performance.md.
#
#   bench/run.sh [--size-gb N] [--reps N] [--small-gb N] [--large-gb N] [--large-reps N] [--no-scale] [--no-datapath]
#                [--smoke] [--hold [N]] [--classlist]
#
#   --size-gb N    database size of the main data-path run (default 1)
#   --reps N       repetitions of every case, alternating (default 3; restores 5, or N if larger)
#   --small-gb N   size of the small run: the agent, the hand pipeline and -Z0, plus an almost empty database
#                  (default 0.25; 0 skips it); with the main and the large run, the three sizes the fixed cost is
#                  fitted over
#   --large-gb N   size of the large run: the same cases plus memory (default 4 × --size-gb; 0 skips it)
#   --large-reps N repetitions of the large run (default 3)
#   --compare-reps N  repetitions of the agent's default backup, the hand pipeline and -Z0 > /dev/null at 1 GiB and
#                  the large size, which the targets against the hand pipeline judge (default 5; the rounds beyond
#                  --reps run only those three)
#   --no-scale     skip the operator-at-scale run;  --no-datapath  skip the data-path runs
#   --smoke        tiny sizes (0.05 GiB, 1 repetition, 200 Backups), results and report under bench/target/:
#                  keeps the benchmarks working (CI may run it) without touching docs/performance.md
#   --hold [N]     only start PostgreSQL with an N GiB benchmark database (default 0.2) and S3Proxy, print how
#                  to reach them and wait: for tuning by hand
#   --classlist    only record the classes a backup, a restore and a verify load into
#                  operator/agent/src/main/cds/agent.classlist, which the agent image's class-data sharing archive is
#                  made from (rerun it when the agent's code changes much; a stale list only shares fewer classes)
#
# Results: bench/results/*.json (every repetition), docs/performance.md (generated from them). Needs the
# Debian packages postgresql, restic, time, zstd and awscli (the hand pipeline's `aws s3 cp`) (installed here when
# missing, as root). A benchmark, not a
# test: it asserts nothing about time, and it is not part of ./mvnw verify.
set -euo pipefail
cd "$(dirname "$0")/.."

size=1 reps=3 restore_reps=5 compare_reps=5 small=0.25 large="" large_reps=3 scale=1 datapath=1 smoke=0 hold="" classlist=0
while [ $# -gt 0 ]; do
  case "$1" in
    --size-gb) size="$2"; shift 2 ;;
    --reps) reps="$2"; shift 2 ;;
    --small-gb) small="$2"; shift 2 ;;
    --large-gb) large="$2"; shift 2 ;;
    --large-reps) large_reps="$2"; shift 2 ;;
    --compare-reps) compare_reps="$2"; shift 2 ;;
    --classlist) classlist=1; shift ;;
    --no-scale) scale=0; shift ;;
    --no-datapath) datapath=0; shift ;;
    --smoke) smoke=1; shift ;;
    --hold) hold="${2:-0.2}"; if [ $# -gt 1 ]; then shift 2; else shift; fi ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done

need=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
command -v restic >/dev/null || need+=(restic)
[ -x /usr/bin/time ] || need+=(time)
command -v zstd >/dev/null || need+=(zstd)
[ -x /usr/bin/aws ] || need+=(awscli)   # the hand pipeline baseline: Debian's awscli, not another aws on the PATH
if [ ${#need[@]} -gt 0 ]; then
  echo "bench: installing ${need[*]} from Debian" >&2
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi

if [ -z "${BACKTRACK_BENCH_SKIP_BUILD:-}" ]; then
  echo "bench: building (./mvnw package -DskipTests) ..." >&2
  ./mvnw -q -B -DskipTests package >&2
fi
cp="e2e/target/classes:$(cat e2e/target/classpath.txt)"
run() { java -cp "$cp" -Dbacktrack.root="$PWD" "$@"; }

if [ -n "$hold" ]; then
  exec java -cp "$cp" -Dbacktrack.root="$PWD" io.backtrack.e2e.bench.BenchFixture "$hold"
fi
if [ "$classlist" = 1 ]; then
  exec java -cp "$cp" -Dbacktrack.root="$PWD" io.backtrack.e2e.bench.DataPathBench --size-gb 0.05 \
    --write-classlist operator/agent/src/main/cds/agent.classlist
fi

results=bench/results report=docs/performance.md
if [ "$smoke" = 1 ]; then
  results=bench/target/smoke report=bench/target/smoke/performance.md
  size=0.05 reps=1 restore_reps=1 compare_reps=1 small=0.02 large=0
fi
if [ "$reps" -gt "$restore_reps" ]; then restore_reps=$reps; fi
mkdir -p "$results"
[ -n "$large" ] || large=$(awk "BEGIN { print $size * 4 }")

if [ "$datapath" = 1 ]; then
  # Levers measured in the same run, next to the defaults. BACKTRACK_BENCH_BASELINE_JAR=PATH adds another build
  # of the agent (e.g. one from before a change) as the variant "before", run as its image ran it (no archive of
  # its classes). The agent runs with its image's class-data sharing archive, made here as the image build makes it.
  before=()
  if [ -n "${BACKTRACK_BENCH_BASELINE_JAR:-}" ]; then
    before=(--agent-variant "before:jar=$BACKTRACK_BENCH_BASELINE_JAR")
  fi
  # Main run: every baseline. Levers: L3 (zstd level 3, the default before level 1); hostjvm (the JVM's own defaults
  # on this host instead of the image's options); zstd workers and parts in flight on 2 cores; JDK 17's own C1 and C2
  # thresholds instead of the image's; age (the archive encrypted with age: the encrypted/plain throughput ratio).
  # Restores repeat more often than backups: PostgreSQL's share of their time (COPY, index builds) varies most from
  # run to run on shared cores, and they are cheap next to the backup cases.
  run io.backtrack.e2e.bench.DataPathBench --size-gb "$size" --reps "$reps" --restore-reps "$restore_reps" \
    --compare-reps "$compare_reps" --out "$results/datapath.json" "${before[@]}" \
    --agent-variant "L3:--level 3" --agent-variant "hostjvm:jvm=host" \
    --agent-variant "zstd1:BACKTRACK_ZSTD_WORKERS=1" --agent-variant "inflight1:BACKTRACK_PARTS_IN_FLIGHT=1" \
    --agent-variant "inflight4:BACKTRACK_PARTS_IN_FLIGHT=4" --agent-variant "jit:jit=default" \
    --agent-variant "age:age"
  if [ "$(awk "BEGIN { print ($small > 0) }")" = 1 ]; then
    # Small run, and an almost empty database: where the fixed cost shows, and the floor under it (a JVM that only
    # connects and exports a snapshot). Levers: the JVM's start-up (no archive of the agent's classes: the JDK's own
    # only; no class-data sharing at all; JDK 17's own C1 and C2 thresholds; JDK 17's own C1 thresholds only; C1
    # alone, no C2; the heap grown from the JVM's initial size instead of whole from the start).
    run io.backtrack.e2e.bench.DataPathBench --size-gb "$small" --reps $((reps + 2)) --fit --empty --no-restore \
      --out "$results/datapath-small.json" "${before[@]}" \
      --agent-variant "nocds:cds=off" --agent-variant "noshare:cds=off -Xshare:off" --agent-variant "jit:jit=default" \
      --agent-variant "c1default:jit=c1default" --agent-variant "c1only:-XX:TieredStopAtLevel=1" \
      --agent-variant "growheap:heap=grow"
  fi
  if [ "$(awk "BEGIN { print ($large > 0) }")" = 1 ]; then
    # Large run: the same comparison at 4× the size, and memory: the agent's backup and restore as its image runs
    # them, and the backup with the host JVM's defaults.
    run io.backtrack.e2e.bench.DataPathBench --size-gb "$large" --reps "$large_reps" --restore-reps 1 --fit \
      --compare-reps "$compare_reps" \
      --agent-variant "hostjvm:jvm=host" --out "$results/datapath-large.json"
  fi
fi
if [ "$scale" = 1 ]; then
  if [ "$smoke" = 1 ]; then
    run io.backtrack.e2e.bench.ScaleBench --namespaces 5 --backups 200 --schedules 20 --schedule-minutes 1 \
      --spread-minutes 0 \
      --out "$results/scale.json"
  else
    run io.backtrack.e2e.bench.ScaleBench --out "$results/scale.json"
  fi
fi
run io.backtrack.e2e.bench.PerformanceReport "$results" "$report"
