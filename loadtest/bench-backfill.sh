#!/usr/bin/env bash
# Backfill benchmark: `docshift backfill` and `rclone copy` side by side, same corpus,
# same stores, in one run.
#
#   loadtest/bench-backfill.sh                          # full run: 5,000 documents (5.45 GB)
#   COUNT=1000 loadtest/bench-backfill.sh               # 1,000 documents of the same profile (1.06 GB)
#   COUNT=200 CONCURRENCY="4" loadtest/bench-backfill.sh   # a quick look
#
# What it does, all on loopback (every port is picked free by the OS), everything stopped at the end:
#   1. seeds a template data directory once: `docshift sandbox --seed COUNT --seed-profile
#      backfill-bench` (DemoCorpus seed 20260101, SizeProfile.BACKFILL_BENCH: 70 % 50-300 KiB,
#      25 % 1-3 MiB, 5 % 5-10 MiB; public, private and authenticated documents), then stops it.
#      The template is kept in WORK and reused while COUNT is unchanged;
#   2. per concurrency N (CONCURRENCY, default "4 16"): copies the template to a fresh data directory
#      (empty S3, empty ledger), starts the sandbox on it, lists every document with the Admin API
#      (its `secure_url`, signed for private/authenticated, exactly the URL DocShift downloads
#      from), then runs, one after the other and in alternating order per N:
#        - `docshift backfill --concurrency N`: list, download, MD5 + SHA-256, conditional put into
#          bucket `docshift`, ledger settled per document;
#        - `rclone copy --files-from LIST --no-traverse --transfers N` from an `http` remote rooted
#          at the emulator (so every signed delivery URL is a path under it) to an `s3` remote,
#          bucket `rclone-cN` (rclone's http remote cannot list the emulator: it has no HTML index
#          pages, hence the list). rclone checks sizes only (the http remote has no hashes);
#   3. after each tool, counts the objects and bytes it wrote (rclone size) to prove it did all the
#      work, then stops the sandbox and deletes the run directory;
#   3b. per N, the sink's ceiling: a plain S3 PUT loop (rclone from the emulator's originals on disk,
#      no download, no checksum, no HEAD) into bucket `sink-cN` of the same S3Proxy;
#   4. prints a markdown table: wall time, documents/s, MB/s (10^6 bytes), peak RSS (GNU time
#      "Maximum resident set size"), CPU seconds (user + sys) and per GB, per tool and N, and the
#      DocShift/rclone and DocShift/sink throughput ratios.
# Wall times include process start-up; DocShift's also includes its own Admin API listing, while
# the list rclone needs is built beforehand (its time is printed separately).
# Tools: rclone, GNU time, jq and curl come from Debian and are installed here when missing (needs
# root). Java 17+ and Maven build the jar through ./docshift when it is stale.
# Environment: COUNT (5000), CONCURRENCY ("4 16"), WORK (/tmp/docshift-bench-backfill),
# DOCSHIFT_JAVA_OPTS (JVM options for the backfill process; none by default).
#
# ADAPTIVE=1: the adaptive pace's benchmark instead of the comparison with rclone. Per round
# (ROUNDS, default 2) and pace (off, on; order alternating per round), on a fresh copy of the
# template: a read load (wrk -t1 -c$READERS --latency on one public document through the sandbox's
# own proxy at S3 weight 0, so the reads go to the emulator the backfill downloads from) runs alone
# for READ_SECONDS (10, after READ_WARMUP_SECONDS of unmeasured reads), then beside `docshift backfill --concurrency $ADAPTIVE_CONCURRENCY` (32)
# with `--no-adaptive`, or `--adaptive --pace-p99-millis $PACE_P99` (25), until the backfill
# ends. Prints the reads' req/s, p50 and p99 alone and beside each pace, the backfill's wall time
# and the pace lines it logged (SMOKE=1 runs it after the comparison). Same corpus as the comparison,
# e.g.
#   ADAPTIVE=1 COUNT=1000 loadtest/bench-backfill.sh
set -euo pipefail

# SMOKE=1: seconds, a tiny corpus, the same steps (tools installed when missing, every stage run);
# for CI, so a script that rots fails there. Its numbers mean nothing. Explicit settings still win.
if [ "${SMOKE:-0}" = 1 ]; then
  # Two concurrencies, so both tool orders run; its own work directory, so no template is reused.
  : "${COUNT:=20}" "${CONCURRENCY:=1 2}" "${WORK:=/tmp/docshift-bench-backfill-smoke}" "${START_TIMEOUT:=300}"
  : "${ROUNDS:=1}" "${READ_SECONDS:=2}" "${READ_WARMUP_SECONDS:=1}" "${ADAPTIVE_CONCURRENCY:=2}"
fi
ROUNDS=${ROUNDS:-2}
READ_SECONDS=${READ_SECONDS:-10}
READ_WARMUP_SECONDS=${READ_WARMUP_SECONDS:-5} # unmeasured reads first: the proxy's JIT warms up
READERS=${READERS:-8}
ADAPTIVE_CONCURRENCY=${ADAPTIVE_CONCURRENCY:-32}
PACE_P99=${PACE_P99:-25}
COUNT=${COUNT:-5000}
CONCURRENCY=${CONCURRENCY:-"4 16"}
WORK=${WORK:-/tmp/docshift-bench-backfill}
START_TIMEOUT=${START_TIMEOUT:-1800} # seconds for a sandbox start, seeding included
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$root/app/target/docshift.jar"
template="$WORK/template-$COUNT"
results="$WORK/results"
sandbox_pid=""

log() { printf '[bench-backfill] %s\n' "$*" >&2; }
# shellcheck source=loadtest/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
die() {
  log "error: $*"
  exit 1
}

stop_sandbox() {
  if [ -n "$sandbox_pid" ] && kill -0 "$sandbox_pid" 2>/dev/null; then
    kill "$sandbox_pid" 2>/dev/null || true
    for _ in $(seq 1 120); do
      kill -0 "$sandbox_pid" 2>/dev/null || break
      sleep 0.5
    done
    kill -9 "$sandbox_pid" 2>/dev/null || true
    wait "$sandbox_pid" 2>/dev/null || true
  fi
  sandbox_pid=""
}
wrk_pid=""
stop_all() {
  [ -z "$wrk_pid" ] || kill "$wrk_pid" 2>/dev/null || true
  stop_sandbox
}
trap stop_all EXIT
trap 'exit 130' INT TERM

ensure_tools() {
  install_missing rclone:rclone /usr/bin/time:time jq:jq curl:curl wrk:wrk bc:bc
  command -v java >/dev/null || die "Java 17+ is needed"
}

# Starts the sandbox on $1 (log in $2) and waits, bounded, until its banner says it is up.
start_sandbox() {
  local dir=$1 logf=$2
  java -jar "$jar" sandbox --data "$dir" --seed "$COUNT" --seed-profile backfill-bench \
    --set sandbox.cloudinaryPort=0 --set sandbox.s3Port=0 --set proxy.port=0 --set admin.port=0 \
    >"$logf" 2>&1 &
  sandbox_pid=$!
  local waited=0
  until grep -q 'DocShift sandbox is up' "$logf" 2>/dev/null; do
    kill -0 "$sandbox_pid" 2>/dev/null || { cat "$logf" >&2; die "sandbox exited during start-up"; }
    [ "$waited" -lt $((START_TIMEOUT * 2)) ] || die "sandbox not up after ${START_TIMEOUT}s"
    sleep 0.5
    waited=$((waited + 1))
  done
}

now() { date +%s.%N; }

# Every document's delivery URL path (signed for private/authenticated), from the Admin API.
list_documents() {
  local json=$1 out=$2 api cloud auth rt cursor page pages
  api=$(jq -r .cloudinary.apiUrl "$json")
  cloud=$(jq -r .cloudinary.cloudName "$json")
  auth=$(jq -r '.cloudinary.apiKey + ":" + .cloudinary.apiSecret' "$json")
  : >"$out"
  for rt in image raw video; do
    cursor=""
    for pages in $(seq 1 1000); do
      page=$(curl -sf -u "$auth" \
        "$api/v1_1/$cloud/resources/$rt?max_results=500${cursor:+&next_cursor=$cursor}")
      jq -r '.resources[].secure_url' <<<"$page" | sed -E 's#^https?://[^/]+/##' >>"$out"
      cursor=$(jq -r '.next_cursor // empty' <<<"$page")
      [ -n "$cursor" ] || break
    done
    [ "$pages" -lt 1000 ] || die "Admin API listing of $rt did not end"
  done
}

# Objects and bytes under an S3 remote path, as "count bytes".
s3_size() {
  env -u AWS_CA_BUNDLE rclone --config /dev/null size --json "dst:$1" | jq -r '"\(.count) \(.bytes)"'
}

rss_kib() { awk -F': ' '/Maximum resident set size/ {print $2}' "$1"; }
# CPU seconds (user + sys) of the measured process, from GNU time's report.
cpu_s() { awk -F': ' '/User time|System time/ {s += $2} END {printf "%.1f", s}' "$1"; }

run_docshift() {
  local n=$1 dir=$2 out=$3
  local t0 t1 rc=0
  t0=$(now)
  # shellcheck disable=SC2086
  /usr/bin/time -v -o "$out.time" java ${DOCSHIFT_JAVA_OPTS:-} -jar "$jar" backfill \
    --config "$dir/docshift.conf" --concurrency "$n" >"$out.log" 2>"$out.err" || rc=$?
  t1=$(now)
  [ "$rc" -eq 0 ] || { tail -20 "$out.log" "$out.err" >&2; die "docshift backfill exited $rc"; }
  grep -E '^backfill (finished|stopped)' "$out.log" >&2 || true
  read -r objects bytes < <(s3_size docshift)
  [ "$objects" -eq "$COUNT" ] || die "DocShift wrote $objects objects, expected $COUNT"
  echo "docshift $n $(echo "$t1 - $t0" | bc) $objects $bytes $(rss_kib "$out.time") $(cpu_s "$out.time")" >>"$results/runs.txt"
}

run_rclone() {
  local n=$1 list=$2 out=$3
  local t0 t1 rc=0
  t0=$(now)
  # AWS_CA_BUNDLE (if the environment sets one) makes rclone's S3 client refuse plain-HTTP
  # loopback endpoints; TLS is not involved here.
  env -u AWS_CA_BUNDLE /usr/bin/time -v -o "$out.time" rclone --config /dev/null copy \
    --files-from "$list" --no-traverse --transfers "$n" src: "dst:rclone-c$n" \
    --stats 30s --stats-one-line -v >"$out.log" 2>&1 || rc=$?
  t1=$(now)
  [ "$rc" -eq 0 ] || { tail -20 "$out.log" >&2; die "rclone exited $rc"; }
  read -r objects bytes < <(s3_size "rclone-c$n")
  [ "$objects" -eq "$COUNT" ] || die "rclone wrote $objects objects, expected $COUNT"
  echo "rclone $n $(echo "$t1 - $t0" | bc) $objects $bytes $(rss_kib "$out.time") $(cpu_s "$out.time")" >>"$results/runs.txt"
}

# The sink's ceiling: a plain S3 PUT loop at the same concurrency into the same S3Proxy, of the
# same originals read from the emulator's disk (no download, no checksum, no HEAD first): what S3
# takes at best, so each tool's throughput reads as a share of the physical limit. Without
# --ignore-checksum rclone hashes every local file (MD5) to check it against the ETag after the
# put: the loop then spent 5.6 CPU-s per GB, more than rclone's copy, and ran slower than it.
run_sink() {
  local n=$1 dir=$2 out=$3 assets t0 t1 rc=0
  assets=$(find "$dir" -type d -name assets -print -quit)
  [ -n "$assets" ] || die "no emulator assets directory under $dir"
  t0=$(now)
  env -u AWS_CA_BUNDLE /usr/bin/time -v -o "$out.time" rclone --config /dev/null copy \
    "$assets" "dst:sink-c$n" --exclude '*.json' --transfers "$n" --checkers "$n" \
    --no-check-dest --s3-disable-checksum --ignore-checksum --stats 30s --stats-one-line -v \
    >"$out.log" 2>&1 || rc=$?
  t1=$(now)
  [ "$rc" -eq 0 ] || { tail -20 "$out.log" >&2; die "the sink's PUT loop (rclone) exited $rc"; }
  read -r objects bytes < <(s3_size "sink-c$n")
  [ "$objects" -eq "$COUNT" ] || die "the PUT loop wrote $objects objects, expected $COUNT"
  echo "sink $n $(echo "$t1 - $t0" | bc) $objects $bytes $(rss_kib "$out.time") $(cpu_s "$out.time")" >>"$results/runs.txt"
}

configure_rclone() {
  local json=$1
  export RCLONE_CONFIG_SRC_TYPE=http
  RCLONE_CONFIG_SRC_URL="$(jq -r .cloudinary.apiUrl "$json")/"
  export RCLONE_CONFIG_SRC_URL
  export RCLONE_CONFIG_DST_TYPE=s3 RCLONE_CONFIG_DST_PROVIDER=Other
  export RCLONE_CONFIG_DST_REGION=us-east-1 RCLONE_CONFIG_DST_FORCE_PATH_STYLE=true
  RCLONE_CONFIG_DST_ENDPOINT=$(jq -r .s3.endpoint "$json")
  RCLONE_CONFIG_DST_ACCESS_KEY_ID=$(jq -r .s3.accessKey "$json")
  RCLONE_CONFIG_DST_SECRET_ACCESS_KEY=$(jq -r .s3.secretKey "$json")
  export RCLONE_CONFIG_DST_ENDPOINT RCLONE_CONFIG_DST_ACCESS_KEY_ID RCLONE_CONFIG_DST_SECRET_ACCESS_KEY
}

report() {
  local corpus_bytes=$1
  echo
  echo "Corpus: $COUNT documents, $corpus_bytes bytes ($(printf '%.2f' "$(echo "$corpus_bytes / 1000000000" | bc -l)") GB), SizeProfile.BACKFILL_BENCH, DemoCorpus seed 20260101"
  echo
  echo "| concurrency | tool | wall s | docs/s | MB/s | peak RSS MiB | CPU s (user + sys) | CPU s per GB |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|"
  while read -r tool n secs objects bytes rss cpu; do
    printf '| %s | %s | %.1f | %.1f | %.1f | %d | %.1f | %.1f |\n' "$n" "$tool" "$secs" \
      "$(echo "$objects / $secs" | bc -l)" "$(echo "$bytes / $secs / 1000000" | bc -l)" \
      "$((rss / 1024))" "$cpu" "$(echo "$cpu / ($bytes / 1000000000)" | bc -l)"
  done <"$results/runs.txt"
  echo
  for n in $CONCURRENCY; do
    local d r
    d=$(awk -v n="$n" '$1 == "docshift" && $2 == n {print $3}' "$results/runs.txt")
    r=$(awk -v n="$n" '$1 == "rclone" && $2 == n {print $3}' "$results/runs.txt")
    printf 'Concurrency %s: DocShift/rclone throughput = %.2fx\n' "$n" "$(echo "$r / $d" | bc -l)"
    r=$(awk -v n="$n" '$1 == "sink" && $2 == n {print $3}' "$results/runs.txt")
    if [ -n "$r" ]; then
      printf 'Concurrency %s: DocShift/sink ceiling (plain PUT loop) = %.2fx\n' "$n" \
        "$(echo "$r / $d" | bc -l)"
    fi
  done
}

# One pace's run on a fresh copy of the template: reads alone, then reads beside the backfill.
# Appends "pace round alone(wrk_stats) beside(wrk_stats) backfill_s pace_lines" to
# $results/adaptive.txt.
run_paced() {
  local pace=$1 round=$2 run="$WORK/run-adaptive" out="$results/adaptive-$1-$2"
  local url flags t0 t1 rc=0 alone beside lines
  rm -rf "$run"
  cp -a "$template" "$run"
  start_sandbox "$run" "$out.sandbox.log"
  list_documents "$run/sandbox.json" "$out.list"
  url="$(jq -r .proxy.url "$run/sandbox.json")/$(awk '!/\/s--/ { print; exit }' "$out.list")"
  curl -sf -o /dev/null "$url" || die "the read load's document $url does not answer 200"
  wrk -t1 -c"$READERS" -d"${READ_WARMUP_SECONDS}s" "$url" >/dev/null
  alone=$(wrk -t1 -c"$READERS" -d"${READ_SECONDS}s" --latency "$url" | wrk_stats)
  flags="--no-adaptive"
  [ "$pace" = off ] || flags="--adaptive --pace-p99-millis $PACE_P99"
  wrk -t1 -c"$READERS" -d3600s --latency "$url" >"$out.wrk" 2>&1 &
  wrk_pid=$!
  t0=$(now)
  # shellcheck disable=SC2086
  java ${DOCSHIFT_JAVA_OPTS:-} -jar "$jar" backfill --config "$run/docshift.conf" \
    --concurrency "$ADAPTIVE_CONCURRENCY" $flags >"$out.log" 2>"$out.err" || rc=$?
  t1=$(now)
  kill -INT "$wrk_pid" # wrk prints its statistics when interrupted
  wait "$wrk_pid" 2>/dev/null || true
  wrk_pid=""
  [ "$rc" -eq 0 ] || { tail -20 "$out.log" "$out.err" >&2; die "docshift backfill exited $rc"; }
  beside=$(wrk_stats <"$out.wrk")
  lines=$(cat "$out.log" "$out.err" | grep -cE 'pace [a-z ]+: [0-9]+ copies at once' || true)
  echo "$pace $round $alone $beside $(echo "$t1 - $t0" | bc) $lines" >>"$results/adaptive.txt"
  stop_sandbox
  rm -rf "$run"
}

report_adaptive() {
  echo
  echo "Reads: wrk -t1 -c$READERS on one public document through the sandbox's proxy (S3 weight 0)."
  echo "Backfill: $COUNT documents, --concurrency $ADAPTIVE_CONCURRENCY; adaptive: --pace-p99-millis $PACE_P99."
  echo
  echo "| pace | round | alone req/s | alone p50 ms | alone p99 ms | beside req/s | beside p50 ms | beside p99 ms | p99 beside / alone | backfill s | docs/s | pace changes logged |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  # wrk_stats gives each read load five fields; the request and non-2xx counts are not tabled.
  while read -r pace round ar a50 a99 _ _ br b50 b99 _ _ secs lines; do
    printf '| %s | %s | %s | %s | %s | %s | %s | %s | %.2f | %.1f | %.1f | %s |\n' "$pace" \
      "$round" "$ar" "$a50" "$a99" "$br" "$b50" "$b99" "$(echo "$b99 / $a99" | bc -l)" "$secs" \
      "$(echo "$COUNT / $secs" | bc -l)" "$lines"
  done <"$results/adaptive.txt"
}

main_adaptive() {
  local round pace
  for round in $(seq 1 "$ROUNDS"); do
    for pace in $(if [ $((round % 2)) -eq 1 ]; then echo off on; else echo on off; fi); do
      log "round $round: reads alone, then beside a backfill, adaptive pace $pace ..."
      run_paced "$pace" "$round"
      tail -1 "$results/adaptive.txt" >&2
    done
  done
  report_adaptive | tee "$results/adaptive.md"
  log "logs and summary in $results"
}

main() {
  ensure_tools
  mkdir -p "$WORK"
  rm -rf "$results"
  mkdir -p "$results"
  log "building $jar if stale ..."
  "$root/docshift" --version >/dev/null

  if ! grep -qs '^sizeProfile=backfill-bench' "$template/seeded.properties" ||
    ! grep -qs "^documents=$COUNT\$" "$template/seeded.properties"; then
    rm -rf "$template"
    log "seeding the template: $COUNT documents, profile backfill-bench (takes a while) ..."
    local t0
    t0=$(now)
    start_sandbox "$template" "$results/seed.log"
    stop_sandbox
    log "seeded in $(echo "$(now) - $t0" | bc | cut -d. -f1) s"
  fi
  if [ "${ADAPTIVE:-0}" != 1 ]; then
    main_compare
  fi
  # The smoke runs both parts, so neither rots unseen.
  if [ "${ADAPTIVE:-0}" = 1 ] || [ "${SMOKE:-0}" = 1 ]; then
    main_adaptive
  fi
}

# DocShift against rclone (and the sink's ceiling) per concurrency, on fresh copies of the template.
main_compare() {
  local corpus_bytes
  corpus_bytes=$(sed -n 's/^bytes=//p' "$template/seeded.properties")

  local i=0 n run list t0 order
  for n in $CONCURRENCY; do
    run="$WORK/run-c$n"
    list="$results/files-c$n.txt"
    rm -rf "$run"
    log "concurrency $n: fresh data directory (empty S3 and ledger) from the template ..."
    cp -a "$template" "$run"
    start_sandbox "$run" "$results/sandbox-c$n.log"
    t0=$(now)
    list_documents "$run/sandbox.json" "$list"
    log "  Admin API list for rclone: $(wc -l <"$list") documents in $(echo "$(now) - $t0" | bc) s"
    [ "$(wc -l <"$list")" -eq "$COUNT" ] || die "listed $(wc -l <"$list") documents, expected $COUNT"
    configure_rclone "$run/sandbox.json"
    if [ $((i % 2)) -eq 0 ]; then order="docshift rclone"; else order="rclone docshift"; fi
    for tool in $order; do
      log "  $tool, concurrency $n ..."
      if [ "$tool" = docshift ]; then
        run_docshift "$n" "$run" "$results/docshift-c$n"
      else
        run_rclone "$n" "$list" "$results/rclone-c$n"
      fi
      tail -1 "$results/runs.txt" >&2
    done
    log "  sink ceiling (plain S3 PUT loop), concurrency $n ..."
    run_sink "$n" "$run" "$results/sink-c$n"
    tail -1 "$results/runs.txt" >&2
    stop_sandbox
    rm -rf "$run"
    i=$((i + 1))
  done
  report "$corpus_bytes" | tee "$results/summary.md"
  log "logs and summary in $results"
}

main "$@"
