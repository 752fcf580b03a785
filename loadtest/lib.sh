# Shared by the bench-*.sh scripts (sourced, after they define log).

# Installs from Debian what is missing. Each argument is COMMAND:PACKAGE; a COMMAND starting with /
# is checked as a path (e.g. /usr/bin/time:time), any other with `command -v`.
install_missing() {
  local missing=() pair cmd
  for pair in "$@"; do
    cmd=${pair%%:*}
    if [[ $cmd == /* ]]; then [ -x "$cmd" ] && continue; else command -v "$cmd" >/dev/null && continue; fi
    missing+=("${pair#*:}")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing ${missing[*]} from Debian ..."
    apt-get install -y -q "${missing[@]}" >/dev/null 2>&1 ||
      { apt-get update -qq && apt-get install -y -q "${missing[@]}" >/dev/null; }
  fi
}

# Stops what a script started (the PIDs in its pids array, nginx when $work/nginx.pid exists) and
# removes its $work directory unless KEEP=1. For `trap stop_started EXIT`.
stop_started() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/nginx.pid" ] && kill "$(cat "$work/nginx.pid")" 2>/dev/null || true
  wait 2>/dev/null || true
  [ "${KEEP:-0}" = 1 ] && log "kept $work" || rm -rf "$work"
}

# Reads wrk --latency output on stdin; prints "req/s p50_ms p99_ms requests non-2xx", the last two
# counts over the whole run, and says "ERROR non-2xx N" on stderr when any answer was not 2xx/3xx.
wrk_stats() {
  awk 'function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "50%" { p50 = ms($2) } $1 == "99%" { p99 = ms($2) } $1 == "Requests/sec:" { rps = $2 }
    $2 == "requests" && $3 == "in" { n = $1 }
    /Non-2xx/ { bad = $NF }
    END {
      if (bad > 0) { print "ERROR non-2xx " bad > "/dev/stderr" }
      printf "%.0f %.3f %.3f %d %d\n", rps, p50, p99, n, bad
    }'
}
