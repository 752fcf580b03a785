#!/usr/bin/env bash
# Read-path benchmark: DocShift and nginx side by side, in front of the same stores, in one run.
#
#   loadtest/bench-read.sh                 # full run (about 10 minutes on 2 cores)
#   DURATION=5s ROUNDS=1 SKIP_1G=1 loadtest/bench-read.sh   # a quick look
#   SMOKE=1 loadtest/bench-read.sh                         # CI smoke: every step, in seconds
#
# What it does, all on loopback, everything stopped at the end:
#   1. starts the sandbox (Cloudinary emulator, S3Proxy, ledger, DocShift proxy at S3 weight 0)
#      on its own ports and data directory, with no demo seed;
#   2. uploads 1 KiB, 100 KiB and 1 MiB documents (and 1 GiB unless SKIP_1G=1) to the emulator
#      with the signed Upload API, then `docshift backfill` copies and verifies them into S3;
#   3. starts nginx with two keepalive upstreams: the emulator (the peer of DocShift at S3 weight 0)
#      and S3Proxy (the peer at weight 100; bucket made public-read so nginx needs no signing);
#   4. per document size and ROUNDS times: S3 weight 0 (set through the admin API, as an operator
#      would), wrk on DocShift then on nginx->emulator; weight 100, wrk on DocShift then on
#      nginx->S3Proxy. Prints req/s, p50 and p99 per target and the DocShift/nginx ratios
#      (markdown, ready for RESULTS.md);
#   5. streams the 1 GiB document through a second DocShift (`docshift serve`, -Xmx128m, sharing
#      the sandbox's ledger and traffic state) at weights 0 and 100 and straight from the emulator,
#      reporting MB/s and that proxy's peak RSS;
#   6. (SHADOW=1, the default) the cost of shadow reads: per size and S3 weight, ROUNDS times,
#      shadowPercent 0 then 100 (order alternating per round) against the same DocShift, client
#      p50/p99 and the 100/0 ratios (goal: p50 <= 1.1x, p99 <= 1.2x), then the shadow outcome
#      counts from /metrics (matched, shed, ...). SHADOW_ONLY=1 runs just this part (no nginx, no
#      1 GiB stream):
#        SHADOW_ONLY=1 SKIP_1G=1 DURATION=10s loadtest/bench-read.sh
#   7. CPU per request in every cell of step 4: the proxy's own process (nginx's worker, or DocShift
#      when SEPARATE_PROXY=1; in the sandbox JVM it shares the stores' process) and proxy + stores
#      (everything but wrk), utime+stime from /proc over the measured run / its requests;
#   8. (HEDGE=1) hedged reads with S3 slowed: a relay (loadtest/DelayRelay.java) in front of S3Proxy
#      holds HEDGE_SLOW_PERCENT % of GETs back HEDGE_SLOW_MS ms; two `docshift serve` through it at
#      weight 100, hedging off and on, p50/p99/req/s per size in HEDGE_SIZES and the hedges sent to
#      Cloudinary (docshift.read.hedge on /metrics);
#   9. (COPY_ON_READ=1) copy on read over a backlog: COR_DOCS documents of COR_BYTES per round
#      uploaded through DocShift in CLOUDINARY_ONLY (ledger rows, S3 empty); two `docshift serve` at
#      weight 0, copy on read off and on, wrk cycling over the round's fresh documents; client
#      p50/p99 and how many it migrated (docshift.read.copy_on_read and the ledger);
#  10. (PROFILE=1) a JFR recording of each measured DocShift cell of step 4 at PROFILE_SIZES,
#      summarised by loadtest/JfrShare.java (use with SEPARATE_PROXY=1 to see DocShift alone).
#   SIZES="1k" measures only the sizes given (of 1k 100k 1m) in steps 4, 6 and 10.
#   COMPARE=0 skips step 4 (and nginx), STREAM=0 step 5. Only the new modes, say:
#        COMPARE=0 SHADOW=0 SKIP_1G=1 HEDGE=1 COPY_ON_READ=1 loadtest/bench-read.sh
# Tools: nginx and wrk come from Debian and are installed here when missing (needs root).
set -euo pipefail

# SMOKE=1: seconds, a tiny corpus, the same steps (tools installed when missing, every stage run);
# for CI, so a script that rots fails there. Its numbers mean nothing. Explicit settings still win.
if [ "${SMOKE:-0}" = 1 ]; then
  # The 1 GiB document takes the same path as the others, only longer: left out.
  : "${DURATION:=1s}" "${WARMUP:=0}" "${ROUNDS:=1}" "${THREADS:=1}" "${CONNECTIONS:=4}" "${SKIP_1G:=1}"
  # The new modes run too, on a handful of documents.
  : "${HEDGE:=1}" "${HEDGE_SIZES:=1k}" "${COPY_ON_READ:=1}" "${COR_DOCS:=8}" "${COR_WARM:=4}" "${PROFILE:=1}"
  : "${PROFILE_SIZES:=1k}"
fi
DURATION=${DURATION:-15s}
# Unmeasured wrk run before every measured cell, for every target alike: a JVM serves its first
# seconds with cold JIT-compiled code, which says nothing about a proxy that runs for days. 0 = none.
WARMUP=${WARMUP:-3s}
ROUNDS=${ROUNDS:-2}
THREADS=${THREADS:-2}
CONNECTIONS=${CONNECTIONS:-32}
SKIP_1G=${SKIP_1G:-0}
SHADOW=${SHADOW:-1}
SHADOW_ONLY=${SHADOW_ONLY:-0}
COMPARE=${COMPARE:-1}
STREAM=${STREAM:-1}
HEDGE=${HEDGE:-0}
HEDGE_SIZES=${HEDGE_SIZES:-1k 100k}
HEDGE_SLOW_PERCENT=${HEDGE_SLOW_PERCENT:-5}
HEDGE_SLOW_MS=${HEDGE_SLOW_MS:-200}
# Extra settings of the hedging instance, e.g. HEDGE_SETTINGS="read.hedge.delayPercentile=90".
HEDGE_SETTINGS=${HEDGE_SETTINGS:-}
COPY_ON_READ=${COPY_ON_READ:-0}
COR_DOCS=${COR_DOCS:-1000}
COR_WARM=${COR_WARM:-200}
COR_BYTES=${COR_BYTES:-102400}
# Extra settings of the copying instance, e.g. COR_SETTINGS="read.copyOnRead.maxConcurrent=4".
COR_SETTINGS=${COR_SETTINGS:-}
PROFILE=${PROFILE:-0}
PROFILE_SIZES=${PROFILE_SIZES:-1k 1m}
# 1: benchmark a `docshift serve` in its own JVM (like nginx, a separate process) instead of the
# sandbox's in-process proxy, which shares its JVM and cores with the emulator and S3Proxy.
SEPARATE_PROXY=${SEPARATE_PROXY:-0}
BASE_PORT=${BASE_PORT:-18000}
# Extra settings for every DocShift started here, e.g. SETTINGS="shadow.maxConcurrent=4".
SETTINGS=${SETTINGS:-}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/docshift-bench-read.XXXXXX)"
pids=()

P_PROXY0=$((BASE_PORT + 80)) P_ADMIN0=$((BASE_PORT + 90)) P_CLD=$((BASE_PORT + 81)) P_S3=$((BASE_PORT + 82))
P_STREAM=$((BASE_PORT + 84)) P_ADMINS=$((BASE_PORT + 94)) P_SERVE=$((BASE_PORT + 87)) P_ADMIN_SERVE=$((BASE_PORT + 97))
P_NGX_CLD=$((BASE_PORT + 85)) P_NGX_S3=$((BASE_PORT + 86))

log() { printf '[bench-read] %s\n' "$*" >&2; }
# shellcheck source=loadtest/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
# shellcheck source=loadtest/bench-read-modes.sh
. "$(dirname "${BASH_SOURCE[0]}")/bench-read-modes.sh"

trap stop_started EXIT

ensure_tools() {
  install_missing nginx:nginx-light wrk:wrk jq:jq bc:bc
}

wait_for() { # file-or-url, seconds
  local what=$1 deadline=$((SECONDS + $2))
  until { [[ $what == http* ]] && curl -s -o /dev/null "$what"; } || [ -f "$what" ]; do
    [ $SECONDS -lt $deadline ] || { log "timed out waiting for $what"; exit 1; }
    sleep 0.5
  done
}

settings() { local kv; for kv in $SETTINGS; do printf -- '--set %s ' "$kv"; done; }

start_sandbox() {
  log "starting the sandbox in $work/data"
  # shellcheck disable=SC2046
  "$root/docshift" sandbox --data "$work/data" --seed 0 $(settings) \
    --set proxy.port=$P_PROXY0 --set admin.port=$P_ADMIN0 \
    --set sandbox.cloudinaryPort=$P_CLD --set sandbox.s3Port=$P_S3 >"$work/sandbox.log" 2>&1 &
  pids+=($!)
  SANDBOX_PID=$!
  wait_for "$work/data/sandbox.json" 120
  CLOUD=$(jq -r .cloudinary.cloudName "$work/data/sandbox.json")
  KEY=$(jq -r .cloudinary.apiKey "$work/data/sandbox.json")
  SECRET=$(jq -r .cloudinary.apiSecret "$work/data/sandbox.json")
  S3_AK=$(jq -r .s3.accessKey "$work/data/sandbox.json")
  S3_SK=$(jq -r .s3.secretKey "$work/data/sandbox.json")
  TOKEN=$(jq -r .admin.token "$work/data/sandbox.json")
  BUCKET=$(jq -r .s3.bucket "$work/data/sandbox.json")
  CONF="$work/data/docshift.conf"
}

# Signed Upload API call to the emulator (public_id + timestamp signed, like the SDKs do).
upload() { # public_id file [extra curl args]
  local id=$1 file=$2 ts sig
  shift 2
  ts=$(date +%s)
  sig=$(printf 'public_id=%s&timestamp=%s%s' "$id" "$ts" "$SECRET" | sha1sum | cut -d' ' -f1)
  curl -sf "http://127.0.0.1:$P_CLD/v1_1/$CLOUD/raw/upload" "$@" \
    -F "public_id=$id" -F "timestamp=$ts" -F "api_key=$KEY" -F "signature=$sig" \
    -F "file=@$file" >/dev/null
}

upload_large() { # public_id file: chunked upload_large in 20 MB parts
  local id=$1 file=$2 size chunk=20000000 start=0 uid part
  size=$(stat -c %s "$file")
  uid="bench-$RANDOM$RANDOM"
  while [ $start -lt "$size" ]; do
    local end=$((start + chunk - 1))
    [ $end -ge "$size" ] && end=$((size - 1))
    part="$work/part"
    dd if="$file" of="$part" bs=1M iflag=skip_bytes,count_bytes skip=$start count=$((end - start + 1)) status=none
    upload "$id" "$part" -H "X-Unique-Upload-Id: $uid" -H "Content-Range: bytes $start-$end/$size"
    start=$((end + 1))
  done
}

seed_documents() {
  read -ra SIZES <<<"${SIZES:-1k 100k 1m}"
  head -c 1024 /dev/urandom >"$work/1k.bin"
  head -c 102400 /dev/urandom >"$work/100k.bin"
  head -c 1048576 /dev/urandom >"$work/1m.bin"
  for s in 1k 100k 1m; do upload "bench/$s.bin" "$work/$s.bin"; done
  if [ "$SKIP_1G" != 1 ]; then
    log "uploading a 1 GiB document in 20 MB chunks"
    head -c 1073741824 /dev/urandom >"$work/1g.bin"
    upload_large "bench/1g.bin" "$work/1g.bin"
  fi
  log "backfilling into S3"
  "$root/docshift" backfill --config "$CONF" >"$work/backfill.log" 2>&1 ||
    { log "backfill failed:"; tail -20 "$work/backfill.log" >&2; exit 1; }
}

start_docshift() { # proxy-port admin-port [java opts [--set key=value ...]]
  local port=$1 admin=$2 opts=${3:-}
  shift 2
  [ $# -gt 0 ] && shift
  # shellcheck disable=SC2046
  DOCSHIFT_JAVA_OPTS="$opts" "$root/docshift" serve --config "$CONF" $(settings) \
    --set proxy.port="$port" --set admin.port="$admin" "$@" >"$work/serve-$port.log" 2>&1 &
  pids+=($!)
  STARTED_PID=$!
  wait_for "http://127.0.0.1:$port/" 60
}

# Sets the shared S3 read weight through the admin API; every instance follows within 2 s.
set_weight() {
  curl -sf -X PUT "http://127.0.0.1:$P_ADMIN0/admin/traffic" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -H 'X-DocShift-Actor: bench-read' \
    -d "{\"s3ReadPercent\": $1, \"reason\": \"benchmark\"}" >/dev/null
  sleep 2.5
}

# Sets the shared shadow-read share through the admin API, like set_weight.
set_shadow() {
  curl -sf -X PUT "http://127.0.0.1:$P_ADMIN0/admin/traffic" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -H 'X-DocShift-Actor: bench-read' \
    -d "{\"shadowPercent\": $1, \"reason\": \"benchmark\"}" >/dev/null
  sleep 2.5
}

# Client latency with every read shadowed (shadowPercent 100) against none (0), same DocShift,
# same documents, alternating order per round so drift hits both sides.
bench_shadow() {
  [ "$SHADOW" = 1 ] || return 0
  printf '\n| size | S3 weight | shadow %% | req/s | p50 ms | p99 ms |\n|---|---|---|---|---|---|\n' >>"$work/shadow.md"
  declare -gA SP50 SP99 SRPS
  local s w round pct order url docshift=$P_PROXY0
  [ "$SEPARATE_PROXY" = 1 ] && docshift=$P_SERVE
  for s in "${SIZES[@]}"; do
    for w in 0 100; do
      set_weight "$w"
      url="http://127.0.0.1:$docshift/$CLOUD/raw/upload/bench/$s.bin"
      check_backend "$url" "$([ "$w" = 0 ] && echo cloudinary || echo s3)"
      for round in $(seq 1 "$ROUNDS"); do
        order="0 100"
        [ $((round % 2)) = 0 ] && order="100 0"
        for pct in $order; do
          set_shadow "$pct"
          log "shadow round $round: $s weight $w shadow $pct %"
          read -r rps p50 p99 _ < <(run_wrk "$url")
          printf '| %s | %s | %s | %s | %s | %s |\n' "$s" "$w" "$pct" "$rps" "$p50" "$p99" >>"$work/shadow.md"
          SP50[$s,$w,$pct]=$(echo "${SP50[$s,$w,$pct]:-0} + $p50 / $ROUNDS" | bc -l)
          SP99[$s,$w,$pct]=$(echo "${SP99[$s,$w,$pct]:-0} + $p99 / $ROUNDS" | bc -l)
          SRPS[$s,$w,$pct]=$(echo "${SRPS[$s,$w,$pct]:-0} + $rps / $ROUNDS" | bc -l)
        done
      done
    done
  done
  set_shadow 0
  {
    printf '\n| size | S3 weight | req/s shadow 0 / 100 | p50 ms shadow 0 | p50 ms shadow 100 | p50 ratio | p99 ms shadow 0 | p99 ms shadow 100 | p99 ratio |\n|---|---|---|---|---|---|---|---|---|\n'
    for s in "${SIZES[@]}"; do
      for w in 0 100; do
        printf '| %s | %s | %.0f / %.0f | %.2f | %.2f | %.2f | %.2f | %.2f | %.2f |\n' "$s" "$w" \
          "${SRPS[$s,$w,0]}" "${SRPS[$s,$w,100]}" "${SP50[$s,$w,0]}" "${SP50[$s,$w,100]}" \
          "$(echo "${SP50[$s,$w,100]} / ${SP50[$s,$w,0]}" | bc -l)" "${SP99[$s,$w,0]}" "${SP99[$s,$w,100]}" \
          "$(echo "${SP99[$s,$w,100]} / ${SP99[$s,$w,0]}" | bc -l)"
      done
    done
    printf '\nShadow outcomes counted by DocShift (/metrics, whole run):\n\n```\n'
    curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$P_ADMIN0/metrics" |
      grep '^docshift_shadow_comparisons' | grep -v ' 0.0$' || echo '(no docshift_shadow_comparisons in /metrics)'
    printf '```\n'
  } >>"$work/shadow.md"
}

start_nginx() {
  # Anonymous reads for nginx's S3 upstream: S3Proxy honours canned object ACLs. The explicit
  # empty-body hash and "acl=" work around curl 7.88's SigV4 (no x-amz-content-sha256, and it
  # signs a bare "acl" where S3 canonicalises "acl=").
  local s
  for s in "${SIZES[@]}" $([ "$SKIP_1G" = 1 ] || echo 1g); do
    curl -sf -X PUT "http://127.0.0.1:$P_S3/$BUCKET/$CLOUD/raw/upload/bench/$s.bin?acl=" \
      -H 'x-amz-acl: public-read' -H "x-amz-content-sha256: $(printf '' | sha256sum | cut -d' ' -f1)" \
      --aws-sigv4 "aws:amz:us-east-1:s3" --user "$S3_AK:$S3_SK" >/dev/null
  done
  cat >"$work/nginx.conf" <<EOF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  upstream cloudinary { server 127.0.0.1:$P_CLD; keepalive 64; }
  upstream s3 { server 127.0.0.1:$P_S3; keepalive 64; }
  server {
    listen 127.0.0.1:$P_NGX_CLD;
    location / { proxy_pass http://cloudinary; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering on; }
  }
  server {
    listen 127.0.0.1:$P_NGX_S3;
    location / { proxy_pass http://s3; proxy_http_version 1.1; proxy_set_header Connection ""; proxy_buffering on; }
  }
}
EOF
  mkdir -p "$work/nginx-tmp"
  nginx -c "$work/nginx.conf"
  wait_for "http://127.0.0.1:$P_NGX_CLD/" 10
}

# The unmeasured wrk run before a measured one (WARMUP long; none when 0).
warm_up() { # url [wrk args...]
  local url=$1
  shift
  [ "$WARMUP" = 0 ] || wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" "$@" "$url" >/dev/null
}

# Prints "req/s p50_ms p99_ms proxy_cpu_ms total_cpu_ms requests" for one wrk run (after the
# unmeasured warm-up): CPU per request of the proxy's processes and of those plus the stores'
# (utime+stime over the measured run / its requests; "-" without processes). Arguments after the
# pids go to wrk before the URL (e.g. -s script.lua), in the warm-up too.
# Prints "req/s p50_ms p99_ms proxy-cpu-ms/req proxy+stores-cpu-ms/req requests" (CPU "-" when
# no pids were given); wrk's output is read by lib.sh's wrk_stats.
run_wrk() { # url [proxy-pids [store-pids [wrk args...]]]
  local url=$1 ppids=${2:-} spids=${3:-} p0 s0 p1 s1 rps p50 p99 n
  shift $(($# < 3 ? $# : 3))
  warm_up "$url" "$@"
  # shellcheck disable=SC2086
  p0=$(cpu_ticks $ppids) s0=$(cpu_ticks $spids)
  read -r rps p50 p99 n _ <<<"$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency "$@" "$url" | wrk_stats)"
  # shellcheck disable=SC2086
  p1=$(cpu_ticks $ppids) s1=$(cpu_ticks $spids)
  awk -v pt=$((p1 - p0)) -v st=$((s1 - s0)) -v hz="$CLK_TCK" -v hasp="${ppids:+1}" -v hass="${spids:+1}" \
    -v n="$n" -v stats="$rps $p50 $p99" 'BEGIN {
      pc = (hasp && n > 0) ? sprintf("%.3f", pt * 1000 / hz / n) : "-"
      tc = ((hasp || hass) && n > 0) ? sprintf("%.3f", (pt + st) * 1000 / hz / n) : "-"
      printf "%s %s %s %d\n", stats, pc, tc, n
    }'
}

check_backend() { # url expected-backend
  local got
  got=$(curl -s -D - -o /dev/null "$1" | tr -d '\r' | awk -F': ' 'tolower($1) == "x-docshift-backend" { print $2 }')
  [ "$got" = "$2" ] || { log "expected $1 to be served by $2, got '${got:-none}'"; exit 1; }
}

bench_sizes() {
  printf '\n| size | S3 weight | target | req/s | p50 ms | p99 ms | proxy CPU ms/req | proxy+stores CPU ms/req |\n|---|---|---|---|---|---|---|---|\n' >"$work/table.md"
  declare -gA RPS P99 CPUP CPUT
  for s in "${SIZES[@]}"; do
    local path="$CLOUD/raw/upload/bench/$s.bin" docshift=$P_PROXY0
    [ "$SEPARATE_PROXY" = 1 ] && docshift=$P_SERVE
    for round in $(seq 1 "$ROUNDS"); do
      for t in docshift-w0 nginx-cloudinary docshift-w100 nginx-s3; do
        local url weight
        case $t in
          docshift-w0) url="http://127.0.0.1:$docshift/$path" weight=0 ;;
          nginx-cloudinary) url="http://127.0.0.1:$P_NGX_CLD/$path" weight=0 ;;
          docshift-w100) url="http://127.0.0.1:$docshift/$path" weight=100 ;;
          nginx-s3) url="http://127.0.0.1:$P_NGX_S3/$BUCKET/$path" weight=100 ;;
        esac
        if [ $t = docshift-w0 ]; then
          set_weight 0
          check_backend "$url" cloudinary
        elif [ $t = docshift-w100 ]; then
          set_weight 100
          check_backend "$url" s3
        fi
        log "round $round: $t $s"
        local proxy_pids=""
        case $t in
          nginx-*) proxy_pids=$(nginx_workers) ;;
          *) [ "$SEPARATE_PROXY" = 1 ] && proxy_pids=$SERVE_PID ;;
        esac
        local profiled=0
        [[ $t == docshift-* && " $PROFILE_SIZES " == *" $s "* && $round = "$ROUNDS" ]] && profiled=1
        [ $profiled = 0 ] || profile_start "${proxy_pids:-$SANDBOX_PID}"
        read -r rps p50 p99 cpup cput _ < <(run_wrk "$url" "$proxy_pids" "$SANDBOX_PID")
        [ $profiled = 0 ] || profile_stop "${proxy_pids:-$SANDBOX_PID}" "$s, $t, round $round ($rps req/s)"
        printf '| %s | %s | %s | %s | %s | %s | %s | %s |\n' "$s" "$weight" "$t" "$rps" "$p50" "$p99" "$cpup" "$cput" >>"$work/table.md"
        RPS[$s,$t]=$(echo "${RPS[$s,$t]:-0} + $rps / $ROUNDS" | bc -l)
        P99[$s,$t]=$(echo "${P99[$s,$t]:-0} + $p99 / $ROUNDS" | bc -l)
        [ "$cpup" = - ] || CPUP[$s,$t]=$(echo "${CPUP[$s,$t]:-0} + $cpup / $ROUNDS" | bc -l)
        CPUT[$s,$t]=$(echo "${CPUT[$s,$t]:-0} + $cput / $ROUNDS" | bc -l)
      done
    done
  done
  {
    printf '\n| size | S3 weight | DocShift req/s | nginx req/s | throughput ratio | DocShift p99 ms | nginx p99 ms | p99 ratio |\n|---|---|---|---|---|---|---|---|\n'
    for s in "${SIZES[@]}"; do
      for pair in "0 docshift-w0 nginx-cloudinary" "100 docshift-w100 nginx-s3"; do
        read -r w d n <<<"$pair"
        printf '| %s | %s | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f |\n' "$s" "$w" \
          "${RPS[$s,$d]}" "${RPS[$s,$n]}" "$(echo "${RPS[$s,$d]} / ${RPS[$s,$n]}" | bc -l)" \
          "${P99[$s,$d]}" "${P99[$s,$n]}" "$(echo "${P99[$s,$d]} / ${P99[$s,$n]}" | bc -l)"
      done
    done
    printf '\nCPU per request (utime+stime / requests over the measured runs; stores = the sandbox JVM):\n'
    printf '\n| size | S3 weight | DocShift ms/req | nginx worker ms/req | DocShift+stores ms/req | nginx+stores ms/req | DocShift/nginx, with stores |\n|---|---|---|---|---|---|---|\n'
    for s in "${SIZES[@]}"; do
      for pair in "0 docshift-w0 nginx-cloudinary" "100 docshift-w100 nginx-s3"; do
        read -r w d n <<<"$pair"
        printf '| %s | %s | %s | %.3f | %.3f | %.3f | %.2f |\n' "$s" "$w" \
          "$([ -n "${CPUP[$s,$d]:-}" ] && printf '%.3f' "${CPUP[$s,$d]}" || echo 'in the sandbox JVM')" \
          "${CPUP[$s,$n]:-0}" "${CPUT[$s,$d]}" "${CPUT[$s,$n]}" "$(echo "${CPUT[$s,$d]} / (${CPUT[$s,$n]} + 0.000001)" | bc -l)"
      done
    done
  } >>"$work/table.md"
}

stream_1g() {
  [ "$SKIP_1G" = 1 ] && return
  local path="$CLOUD/raw/upload/bench/1g.bin"
  printf '\n| 1 GiB stream | MB/s | proxy peak RSS MiB |\n|---|---|---|\n' >>"$work/table.md"
  local direct
  direct=$(curl -s -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$P_CLD/$path")
  printf '| direct from the emulator | %.0f | - |\n' "$(echo "$direct / 1000000" | bc -l)" >>"$work/table.md"
  start_docshift "$P_STREAM" "$P_ADMINS" "-Xmx128m"
  local pid=$STARTED_PID speed rss
  for weight in 0 100; do
    set_weight "$weight"
    check_backend "http://127.0.0.1:$P_STREAM/$path" "$([ "$weight" = 0 ] && echo cloudinary || echo s3)"
    speed=$(curl -s -o /dev/null -w '%{speed_download}' "http://127.0.0.1:$P_STREAM/$path")
    rss=$(awk '/VmHWM/ { print $2 / 1024 }' "/proc/$pid/status")
    printf '| DocShift -Xmx128m, S3 weight %s | %.0f | %.0f |\n' "$weight" \
      "$(echo "$speed / 1000000" | bc -l)" "$rss" >>"$work/table.md"
  done
}

ensure_tools
start_sandbox
wait_for "http://127.0.0.1:$P_PROXY0/" 60
seed_documents
if [ "$SEPARATE_PROXY" = 1 ]; then
  start_docshift "$P_SERVE" "$P_ADMIN_SERVE"
  SERVE_PID=$STARTED_PID
fi
touch "$work/table.md" "$work/shadow.md" "$work/hedge.md" "$work/cor.md" "$work/profile.md"
if [ "$SHADOW_ONLY" != 1 ]; then
  if [ "$COMPARE" = 1 ]; then
    start_nginx
    bench_sizes
  fi
  if [ "$STREAM" = 1 ]; then stream_1g; fi
fi
bench_shadow
bench_hedge
bench_copy_on_read
{
  printf '## Read path: %s, wrk -t%s -c%s -d%s (after a %s warm-up), %s round(s), DocShift %s\n' \
    "$(date -u +%F)" "$THREADS" "$CONNECTIONS" "$DURATION" "$WARMUP" "$ROUNDS" "$([ "$SEPARATE_PROXY" = 1 ] && echo 'in its own JVM' || echo 'in the sandbox JVM')"
  printf 'Machine: %s cores, %s; settings: %s\n' "$(nproc)" "$(java -version 2>&1 | head -1)" "${SETTINGS:-defaults}"
  cat "$work/table.md" "$work/shadow.md" "$work/profile.md"
  [ "$HEDGE" != 1 ] || printf '\n### Hedged reads, %s %% of S3 GETs delayed %s ms, S3 weight 100\n' "$HEDGE_SLOW_PERCENT" "$HEDGE_SLOW_MS"
  cat "$work/hedge.md"
  [ "$COPY_ON_READ" != 1 ] || printf '\n### Copy on read, S3 weight 0, %s documents of %s bytes per round\n' "$COR_DOCS" "$COR_BYTES"
  cat "$work/cor.md"
} | tee "${OUT:-/dev/null}"
