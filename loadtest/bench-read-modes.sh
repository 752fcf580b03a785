# Modes of loadtest/bench-read.sh beyond the nginx comparison (sourced by it, after its helpers):
# CPU per request, hedged reads under a slowed S3 (HEDGE=1), copy on read over a backlog
# (COPY_ON_READ=1) and JFR profiles of the DocShift cells (PROFILE=1).

CLK_TCK=$(getconf CLK_TCK)

# utime + stime of the given processes (all their threads), in clock ticks; 0 for none.
cpu_ticks() {
  local total=0 pid
  for pid in "$@"; do
    [ -r "/proc/$pid/stat" ] || continue
    # Fields after "pid (comm) ": utime is the 12th, stime the 13th.
    total=$((total + $(sed 's/^.*) //' "/proc/$pid/stat" | awk '{ print $12 + $13 }')))
  done
  echo "$total"
}

as_sets() { local kv; for kv in $1; do printf -- '--set %s ' "$kv"; done; }

nginx_workers() { pgrep -P "$(cat "$work/nginx.pid")" | tr '\n' ' '; }

metrics_of() { curl -s -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$1/metrics"; }

# Sum of the samples in Prometheus text $1 whose line matches the regex $2.
metric_sum() {
  awk -v re="$2" '$0 ~ re && $0 !~ /^#/ { s += $NF } END { printf "%.0f\n", s }' <<<"$1"
}

# A wrk Lua script that cycles through the paths in $2 (each thread from its own offset).
paths_script() { # lua-file paths-file
  {
    printf 'local paths = {\n'
    sed 's/.*/  "&",/' "$2"
    printf '}\nlocal n = 0\nlocal i = 0\n'
    printf 'setup = function(thread) thread:set("offset", n * 7919) n = n + 1 end\n'
    printf 'init = function(args) i = (offset or 0) %% #paths end\n'
    printf 'request = function() i = i %% #paths + 1 return wrk.format("GET", paths[i]) end\n'
  } >"$1"
}

# Sets the shared write mode through the admin API, like set_weight.
set_write_mode() {
  curl -sf -X PUT "http://127.0.0.1:$P_ADMIN0/admin/traffic" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -H 'X-DocShift-Actor: bench-read' \
    -d "{\"writeMode\": \"$1\", \"reason\": \"benchmark\"}" >/dev/null
  sleep 2.5
}

ledger_count() { # S3 state, e.g. verified
  "$root/docshift" status --config "$CONF" 2>/dev/null | awk -v s="$1" '$1 == s { print $2 }'
}

# ---- hedged reads with a slowed S3 ----------------------------------------------------------
# A relay in front of S3Proxy holds HEDGE_SLOW_PERCENT % of GETs back HEDGE_SLOW_MS ms; two
# `docshift serve` instances read S3 through it at weight 100, hedging off and on (otherwise the
# same settings), alternating per round. Extra Cloudinary requests = hedges issued (s3_won +
# cloudinary_won + both_failed of docshift.read.hedge) during the measured run.
bench_hedge() {
  [ "$HEDGE" = 1 ] || return 0
  local relay=$((BASE_PORT + 88)) off=$((BASE_PORT + 89)) on=$((BASE_PORT + 79))
  local adm_off=$((BASE_PORT + 99)) adm_on=$((BASE_PORT + 78)) s round mode order
  log "hedge: relay on $relay, $HEDGE_SLOW_PERCENT % of S3 GETs delayed $HEDGE_SLOW_MS ms"
  java "$root/loadtest/DelayRelay.java" "$relay" "$P_S3" "$HEDGE_SLOW_PERCENT" "$HEDGE_SLOW_MS" \
    "$work/relay.stats" >"$work/relay.log" 2>&1 &
  pids+=($!)
  wait_for "http://127.0.0.1:$relay/" 30
  start_docshift "$off" "$adm_off" "" --set "s3.endpoint=http://127.0.0.1:$relay" \
    --set read.hedge.enabled=false
  start_docshift "$on" "$adm_on" "" --set "s3.endpoint=http://127.0.0.1:$relay" \
    --set read.hedge.enabled=true $(as_sets "$HEDGE_SETTINGS")
  set_weight 100
  printf '\n| size | hedging | req/s | p50 ms | p99 ms | S3 GETs delayed (relay) | hedges sent to Cloudinary | of them won by Cloudinary | over budget | fallbacks |\n|---|---|---|---|---|---|---|---|---|---|\n' >"$work/hedge.md"
  declare -gA HR HP50 HP99 HX HN
  for s in $HEDGE_SIZES; do
    local url_off="http://127.0.0.1:$off/$CLOUD/raw/upload/bench/$s.bin"
    check_backend "$url_off" s3
    for round in $(seq 1 "$ROUNDS"); do
      order="off on"
      [ $((round % 2)) = 0 ] && order="on off"
      for mode in $order; do
        local port=$off adm=$adm_off
        [ "$mode" = on ] && port=$on adm=$adm_on
        log "hedge round $round: $s hedging $mode"
        local m0 m1 g0 g1 r0 r1 rps p50 p99 n url="http://127.0.0.1:$port/$CLOUD/raw/upload/bench/$s.bin"
        # Warmed up first, so the counts below are the measured run's alone.
        warm_up "$url"
        m0=$(metrics_of "$adm")
        read -r g0 r0 <"$work/relay.stats"
        read -r rps p50 p99 _ _ n < <(WARMUP=0 run_wrk "$url" "" "")
        m1=$(metrics_of "$adm")
        read -r g1 r1 <"$work/relay.stats"
        local sent won over fb
        sent=$(($(metric_sum "$m1" '^docshift_read_hedge_total.*outcome="(s3_won|cloudinary_won|both_failed)"') - $(metric_sum "$m0" '^docshift_read_hedge_total.*outcome="(s3_won|cloudinary_won|both_failed)"')))
        won=$(($(metric_sum "$m1" '^docshift_read_hedge_total.*outcome="cloudinary_won"') - $(metric_sum "$m0" '^docshift_read_hedge_total.*outcome="cloudinary_won"')))
        over=$(($(metric_sum "$m1" '^docshift_read_hedge_total.*outcome="over_budget"') - $(metric_sum "$m0" '^docshift_read_hedge_total.*outcome="over_budget"')))
        fb=$(($(metric_sum "$m1" '^docshift_read_fallbacks_total') - $(metric_sum "$m0" '^docshift_read_fallbacks_total')))
        printf '| %s | %s | %s | %s | %s | %s of %s | %s (%.2f %% of %s requests) | %s | %s | %s |\n' "$s" "$mode" "$rps" "$p50" "$p99" \
          $((r1 - r0)) $((g1 - g0)) "$sent" "$(echo "100 * $sent / ($n + 0.0001)" | bc -l)" "$n" "$won" "$over" "$fb" >>"$work/hedge.md"
        HR[$s,$mode]=$(echo "${HR[$s,$mode]:-0} + $rps / $ROUNDS" | bc -l)
        HP50[$s,$mode]=$(echo "${HP50[$s,$mode]:-0} + $p50 / $ROUNDS" | bc -l)
        HP99[$s,$mode]=$(echo "${HP99[$s,$mode]:-0} + $p99 / $ROUNDS" | bc -l)
        HX[$s,$mode]=$((${HX[$s,$mode]:-0} + sent))
        HN[$s,$mode]=$((${HN[$s,$mode]:-0} + n))
      done
    done
  done
  {
    printf '\n| size | req/s off / on | p50 ms off / on | p99 ms off / on | p99 on/off | extra Cloudinary GETs (hedging on) |\n|---|---|---|---|---|---|\n'
    for s in $HEDGE_SIZES; do
      printf '| %s | %.0f / %.0f | %.2f / %.2f | %.2f / %.2f | %.2f | %s of %s requests (%.2f %%) |\n' "$s" \
        "${HR[$s,off]}" "${HR[$s,on]}" "${HP50[$s,off]}" "${HP50[$s,on]}" "${HP99[$s,off]}" "${HP99[$s,on]}" \
        "$(echo "${HP99[$s,on]} / ${HP99[$s,off]}" | bc -l)" "${HX[$s,on]}" "${HN[$s,on]}" \
        "$(echo "100 * ${HX[$s,on]} / (${HN[$s,on]} + 0.0001)" | bc -l)"
    done
    printf '\nHedge outcomes of the hedging instance (/metrics, whole run with the warm-ups):\n\n```\n'
    metrics_of "$adm_on" | grep '^docshift_read_hedge_total' || echo '(none)'
    printf '```\n'
  } >>"$work/hedge.md"
}

# ---- copy on read over a backlog ------------------------------------------------------------
# COR_DOCS documents of COR_SIZE per round (plus COR_WARM for the warm-ups) uploaded through
# DocShift in CLOUDINARY_ONLY, so the ledger has their rows (absent) and S3 nothing; two `docshift
# serve` instances at weight 0, copy on read off and on, read each round's fresh set (wrk cycling
# over its paths), alternating order per round.
upload_backlog() { # name count file
  local name=$1 count=$2 file=$3 i ts sig failed=0 pid
  local uploads=()
  : >"$work/$name.paths"
  for i in $(seq 1 "$count"); do
    echo "/$CLOUD/raw/upload/cor/$name-$i.bin" >>"$work/$name.paths"
  done
  # Signed Upload API calls through DocShift (not to the emulator), 8 at a time.
  for i in $(seq 1 "$count"); do
    ts=$(date +%s)
    sig=$(printf 'public_id=cor/%s-%s.bin&timestamp=%s%s' "$name" "$i" "$ts" "$SECRET" | sha1sum | cut -d' ' -f1)
    curl -sf "http://127.0.0.1:$P_PROXY0/v1_1/$CLOUD/raw/upload" -F "public_id=cor/$name-$i.bin" \
      -F "timestamp=$ts" -F "api_key=$KEY" -F "signature=$sig" -F "file=@$file" >/dev/null &
    uploads+=($!)
    if [ ${#uploads[@]} = 8 ] || [ "$i" = "$count" ]; then
      for pid in "${uploads[@]}"; do wait "$pid" || failed=$((failed + 1)); done
      uploads=()
    fi
  done
  [ $failed = 0 ] || { log "$failed uploads of $name failed"; exit 1; }
  paths_script "$work/$name.lua" "$work/$name.paths"
}

bench_copy_on_read() {
  [ "$COPY_ON_READ" = 1 ] || return 0
  local off=$((BASE_PORT + 77)) on=$((BASE_PORT + 76)) adm_off=$((BASE_PORT + 75)) adm_on=$((BASE_PORT + 74))
  local round mode order v0 a0
  head -c "$COR_BYTES" /dev/urandom >"$work/cor.bin"
  set_write_mode CLOUDINARY_ONLY
  log "copy on read: uploading $COR_WARM + $ROUNDS x $COR_DOCS documents of $COR_BYTES bytes through DocShift"
  upload_backlog warm "$COR_WARM" "$work/cor.bin"
  for round in $(seq 1 "$ROUNDS"); do upload_backlog "r$round" "$COR_DOCS" "$work/cor.bin"; done
  v0=$(ledger_count verified) a0=$(ledger_count absent)
  start_docshift "$off" "$adm_off" "" --set read.copyOnRead.enabled=false
  start_docshift "$on" "$adm_on" "" --set read.copyOnRead.enabled=true $(as_sets "$COR_SETTINGS")
  set_weight 0
  check_backend "http://127.0.0.1:$off$(head -1 "$work/warm.paths")" cloudinary
  printf '\n| round | copy on read | req/s | p50 ms | p99 ms | copies by outcome during the run |\n|---|---|---|---|---|---|\n' >"$work/cor.md"
  declare -gA CR CP50 CP99
  local copied_run=0
  for round in $(seq 1 "$ROUNDS"); do
    order="off on"
    [ $((round % 2)) = 0 ] && order="on off"
    for mode in $order; do
      local port=$off adm=$adm_off m0 m1 rps p50 p99 outcomes="-" o
      [ "$mode" = on ] && port=$on adm=$adm_on
      log "copy-on-read round $round: $mode"
      warm_up "http://127.0.0.1:$port/" -s "$work/warm.lua"
      m0=$(metrics_of "$adm")
      read -r rps p50 p99 _ _ _ < <(WARMUP=0 run_wrk "http://127.0.0.1:$port/" "" "" -s "$work/r$round.lua")
      m1=$(metrics_of "$adm")
      if [ "$mode" = on ]; then
        outcomes=""
        for o in copied skipped dropped mismatch failed; do
          local d=$(($(metric_sum "$m1" "^docshift_read_copy_on_read_total.*outcome=\"$o\"") - $(metric_sum "$m0" "^docshift_read_copy_on_read_total.*outcome=\"$o\"")))
          outcomes+="$o $d, "
          [ "$o" = copied ] && copied_run=$((copied_run + d))
        done
        outcomes=${outcomes%, }
      fi
      printf '| %s | %s | %s | %s | %s | %s |\n' "$round" "$mode" "$rps" "$p50" "$p99" "$outcomes" >>"$work/cor.md"
      CR[$mode]=$(echo "${CR[$mode]:-0} + $rps / $ROUNDS" | bc -l)
      CP50[$mode]=$(echo "${CP50[$mode]:-0} + $p50 / $ROUNDS" | bc -l)
      CP99[$mode]=$(echo "${CP99[$mode]:-0} + $p99 / $ROUNDS" | bc -l)
    done
  done
  # Copies still running finish on their own; wait (bounded) until the count stops moving.
  local last=-1 now deadline=$((SECONDS + 60))
  while [ $SECONDS -lt $deadline ]; do
    now=$(metric_sum "$(metrics_of "$adm_on")" '^docshift_read_copy_on_read_total')
    [ "$now" = "$last" ] && break
    last=$now
    sleep 2
  done
  local v1 a1
  v1=$(ledger_count verified) a1=$(ledger_count absent)
  {
    printf '\n| copy on read | req/s | p50 ms | p99 ms |\n|---|---|---|---|\n'
    for mode in off on; do
      printf '| %s | %.0f | %.2f | %.2f |\n' "$mode" "${CR[$mode]}" "${CP50[$mode]}" "${CP99[$mode]}"
    done
    printf '\nOn/off: p50 %.2fx, p99 %.2fx, req/s %.2fx. Migrated by copy on read: %s during the measured runs; ledger `verified` %s -> %s and `absent` %s -> %s over the whole mode (%s + %s x %s documents not in S3 before).\n' \
      "$(echo "${CP50[on]} / ${CP50[off]}" | bc -l)" "$(echo "${CP99[on]} / ${CP99[off]}" | bc -l)" \
      "$(echo "${CR[on]} / ${CR[off]}" | bc -l)" "$copied_run" "$v0" "$v1" "$a0" "$a1" "$COR_WARM" "$ROUNDS" "$COR_DOCS"
    printf '\nCopy-on-read outcomes of the copying instance (/metrics, whole run with the warm-ups):\n\n```\n'
    metrics_of "$adm_on" | grep '^docshift_read_copy_on_read_total' || echo '(none)'
    printf '```\n'
  } >>"$work/cor.md"
}

# ---- JFR profiles -----------------------------------------------------------------------------
# PROFILE=1: a JFR recording (settings=profile) of the JVM serving DocShift's measured cell, read by
# loadtest/JfrShare.java. Every thread of that JVM counts: with SEPARATE_PROXY=1 that is DocShift
# alone, otherwise the sandbox JVM (DocShift, the emulator and S3Proxy).
profile_start() { # pid
  [ "$PROFILE" = 1 ] || return 0
  jcmd "$1" JFR.start name=bench settings=profile filename="$work/profile.jfr" >/dev/null
}

profile_stop() { # pid title
  [ "$PROFILE" = 1 ] || return 0
  jcmd "$1" JFR.stop name=bench >/dev/null
  {
    printf '\n#### Profile: %s\n' "$2"
    java "$root/loadtest/JfrShare.java" "$work/profile.jfr"
  } >>"$work/profile.md"
  # Kept (with KEEP=1) for a closer look: jfr print, JDK Mission Control.
  mv "$work/profile.jfr" "$work/profile-$(date +%s).jfr"
}
