#!/usr/bin/env bash
# Write-path benchmark: uploads through DocShift in DUAL_CLOUDINARY_PRIMARY versus
# straight to each store, in one run.
#
#   loadtest/bench-write.sh                                   # full run (about 3 minutes on 2 cores)
#   ROUNDS_SMALL=10 ROUNDS_LARGE=3 SKIP_100M=1 loadtest/bench-write.sh   # a quick look
#   ONLY_100M=1 loadtest/bench-write.sh                       # just step 3
#   SMOKE=1 loadtest/bench-write.sh                           # CI smoke: every step, in seconds
#   PROFILE=1 ... loadtest/bench-write.sh                     # also: where an upload's time goes
#
# What it does, all on loopback, everything stopped at the end:
#   1. starts the sandbox (Cloudinary emulator, S3Proxy, ledger; no demo seed) with write mode
#      DUAL_CLOUDINARY_PRIMARY, then a DocShift of its own (`docshift serve`, -Xmx128m, its own
#      JVM, sharing the sandbox's ledger and traffic state), as an operator would run it;
#   2. per size (100 KiB, 1 MiB: ROUNDS_SMALL rounds; 20 MiB: ROUNDS_LARGE rounds), runs the
#      load driver loadtest/WriteBench.java: sequential signed raw uploads with public_id given
#      (DocShift's tee path: Cloudinary and S3 written at once) to DocShift, straight to the
#      emulator's Upload API, and straight to S3Proxy (PutObject), rotating which target goes
#      first each round, after 3 untimed warm-up rounds. Prints p50/p99 per target and DocShift's
#      ratio to the slower single store (goal <= 1.2x);
#   3. (unless SKIP_100M=1) starts a fresh `docshift serve` with -Xmx128m under GNU time and a GC
#      log, uploads one 100 MiB document through it (100 MiB less 4 KiB: the emulator caps the
#      whole request body, multipart framing included, at 100 MiB), stops it, and reports its peak
#      RSS and the largest heap occupancy the GC log saw before a collection.
# Latency is the client's (JDK HttpClient / AWS SDK in the driver JVM), one upload at a time.
# PROFILE=1 records step 2's `docshift serve` with JFR and prints, per size, the median time of each
# step of an upload (the write path's io.docshift.UploadStep events: loadtest/UploadSteps.java) and
# where its CPU samples went (loadtest/JfrShare.java).
# Tools: jq and GNU time come from Debian and are installed here when missing (needs root).
set -euo pipefail

# SMOKE=1: seconds, a tiny corpus, the same steps (tools installed when missing, every stage run);
# for CI, so a script that rots fails there. Its numbers mean nothing. Explicit settings still win.
if [ "${SMOKE:-0}" = 1 ]; then
  : "${ROUNDS_SMALL:=2}" "${ROUNDS_LARGE:=1}"
fi
ROUNDS_SMALL=${ROUNDS_SMALL:-60}
ROUNDS_LARGE=${ROUNDS_LARGE:-15}
SKIP_100M=${SKIP_100M:-0}
ONLY_100M=${ONLY_100M:-0}
PROFILE=${PROFILE:-0}
BASE_PORT=${BASE_PORT:-19000}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/app/target/docshift.jar"
work="$(mktemp -d /tmp/docshift-bench-write.XXXXXX)"
data="$work/data"
P_SERVE=$((BASE_PORT + 80)) P_ADMIN=$((BASE_PORT + 90))
pids=()

log() { printf '[bench-write] %s\n' "$*" >&2; }
# shellcheck source=loadtest/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
die() {
  log "error: $*"
  exit 1
}

cleanup() {
  [ -z "${serve_pid:-}" ] || stop_serve
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && log "kept $work" || rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

ensure_tools() {
  install_missing /usr/bin/time:time jq:jq curl:curl
  command -v java >/dev/null || die "Java 17+ is needed"
}

# Waits (bounded, 120 s) until $1 answers HTTP at all; $2 is the pid that must stay alive.
await_http() {
  for _ in $(seq 1 240); do
    curl -s -o /dev/null "$1" && return 0
    kill -0 "$2" 2>/dev/null || die "process $2 exited during start-up"
    sleep 0.5
  done
  die "$1 not up after 120 s"
}

start_sandbox() {
  java -jar "$jar" sandbox --data "$data" --seed 0 \
    --set sandbox.cloudinaryPort=0 --set sandbox.s3Port=0 --set proxy.port=0 --set admin.port=0 \
    --set traffic.writeMode=DUAL_CLOUDINARY_PRIMARY >"$work/sandbox.log" 2>&1 &
  pids+=($!)
  for _ in $(seq 1 240); do
    grep -q 'DocShift sandbox is up' "$work/sandbox.log" 2>/dev/null && return 0
    sleep 0.5
  done
  cat "$work/sandbox.log" >&2
  die "sandbox not up after 120 s"
}

# `docshift serve` on $P_SERVE with -Xmx128m; extra JVM options in $1, a wrapper command in $2.
start_serve() {
  # shellcheck disable=SC2086
  ${2:-} java -Xmx128m ${1:-} -jar "$jar" serve --config "$data/docshift.conf" \
    --set proxy.port="$P_SERVE" --set admin.port="$P_ADMIN" >"$work/serve.log" 2>&1 &
  serve_pid=$!
  pids+=("$serve_pid")
  await_http "http://127.0.0.1:$P_SERVE/" "$serve_pid"
}

# Stops the serve JVM. Under GNU time that is time's child: stop it and let time write its report.
stop_serve() {
  local jvm
  jvm=$(pgrep -P "$serve_pid" java || true)
  kill "${jvm:-$serve_pid}" 2>/dev/null || true
  wait "$serve_pid" 2>/dev/null || true
}

drive() { # size rounds [warmup [targets]]
  java -Xmx1g -cp "$jar" "$root/loadtest/WriteBench.java" "$data/sandbox.json" \
    "http://127.0.0.1:$P_SERVE" "$work/driver" "$@"
}

report_latency() {
  echo "| size | target | uploads | p50 ms | p99 ms |"
  echo "|---|---|---:|---:|---:|"
  while read -r size target n p50 p99; do
    printf '| %s | %s | %s | %s | %s |\n' "$(human "$size")" "$target" "$n" "$p50" "$p99"
  done <"$work/latency.txt"
  echo
  echo "| size | DocShift p50 / slower store p50 | DocShift p99 / slower store p99 |"
  echo "|---|---:|---:|"
  for size in $(awk '{print $1}' "$work/latency.txt" | uniq); do
    awk -v s="$size" -v h="$(human "$size")" '
      $1 == s { p50[$2] = $4; p99[$2] = $5 }
      END {
        slow50 = p50["emulator"] > p50["s3proxy"] ? p50["emulator"] : p50["s3proxy"]
        slow99 = p99["emulator"] > p99["s3proxy"] ? p99["emulator"] : p99["s3proxy"]
        printf "| %s | %.2fx | %.2fx |\n", h, p50["docshift"] / slow50, p99["docshift"] / slow99
      }' "$work/latency.txt"
  done
}

human() {
  case "$1" in
  102400) echo "100 KiB" ;; 1048576) echo "1 MiB" ;; 20971520) echo "20 MiB" ;;
  *) echo "$1 B" ;;
  esac
}

measure_100m() {
  log "100 MiB upload through a fresh docshift serve (-Xmx128m) ..."
  start_serve "-Xlog:gc:file=$work/gc.log" "/usr/bin/time -v -o $work/serve.time"
  drive $((104857600 - 4096)) 1 0 docshift >"$work/100m.txt"
  stop_serve
  local rss peak
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/serve.time")
  # G1 lines end "... 57M->12M(128M) 3.1ms": the largest "before" is the peak occupancy seen.
  peak=$(grep -oE '[0-9]+M->[0-9]+M' "$work/gc.log" | cut -dM -f1 | sort -n | tail -1)
  echo
  echo "100 MiB - 4 KiB upload through DocShift (-Xmx128m): $(awk '{print $4}' "$work/100m.txt") ms," \
    "peak RSS $((rss / 1024)) MiB, peak heap before a GC ${peak:-n/a} MiB" \
    "($(grep -c 'Pause' "$work/gc.log" || true) GC pauses)"
}

main() {
  ensure_tools
  log "building $jar if stale ..."
  "$root/docshift" --version >/dev/null
  log "starting the sandbox (DUAL_CLOUDINARY_PRIMARY) in $work ..."
  start_sandbox
  echo
  echo "Write path, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)"
  [ "$ONLY_100M" = 1 ] || measure_latency
  [ "$SKIP_100M" = 1 ] || measure_100m
}

measure_latency() {
  log "starting docshift serve (-Xmx128m) on $P_SERVE ..."
  local jfr=""
  [ "$PROFILE" = 0 ] ||
    jfr="-XX:StartFlightRecording=filename=$work/serve.jfr,dumponexit=true,settings=profile"
  start_serve "$jfr"
  for size in 102400 1048576 20971520; do
    local rounds=$ROUNDS_SMALL
    [ "$size" -lt 20000000 ] || rounds=$ROUNDS_LARGE
    log "$(human "$size"): $rounds rounds x 3 targets ..."
    drive "$size" "$rounds" | tee -a "$work/latency.txt" >&2
  done
  stop_serve
  echo
  report_latency
  [ "$PROFILE" = 0 ] || report_profile
}

report_profile() {
  echo
  echo "Where an upload's time goes in docshift serve (JFR, io.docshift.UploadStep):"
  java "$root/loadtest/UploadSteps.java" "$work/serve.jfr"
  echo
  echo "Where docshift serve's CPU samples went (all sizes):"
  java "$root/loadtest/JfrShare.java" "$work/serve.jfr"
}

main "$@"
