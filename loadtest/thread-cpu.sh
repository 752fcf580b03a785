#!/usr/bin/env bash
# Where a JVM's CPU goes, by thread: waits for the first process whose command line matches
# PATTERN, samples its threads' CPU time (utime + stime in /proc/PID/task/*/stat) every INTERVAL
# seconds until it exits, and prints, per thread family (the name without its trailing number, so
# `docshift-copy-3` counts as `docshift-copy`), the CPU seconds of each thread's last sample.
#
#   loadtest/thread-cpu.sh '^java .*docshift.jar backfill' >threads.md &
#   loadtest/bench-backfill.sh ...
#
# What it misses: the work a thread did after its last sample (at most INTERVAL, and the process's
# last fraction of a second), and threads born and gone between two samples. The "process" row
# is the kernel's own total for the process (dead threads included) at the last sample, so the gap
# between it and the sum of the rows is what the sampling lost. Thread names are the kernel's, cut
# to 15 characters (`C2 CompilerThre`). One awk per sample, no fork per thread, so the sampler
# itself costs next to nothing beside the process it measures.
# Environment: INTERVAL (0.2), WAIT_SECONDS (3600: how long to wait for the process to appear),
# RAW (a file to keep every sample in, as tab-separated "epoch-seconds tid name ticks" lines, e.g.
# to see whether the JIT's CPU comes at the start or all along).
set -euo pipefail

pattern=${1:?usage: thread-cpu.sh PATTERN (a pgrep -f pattern of the process to sample)}
interval=${INTERVAL:-0.2}
wait_seconds=${WAIT_SECONDS:-3600}
hz=$(getconf CLK_TCK)

pid=""
deadline=$((SECONDS + wait_seconds))
until pid=$(pgrep -f -- "$pattern" | head -1) && [ -n "$pid" ]; do
  [ "$SECONDS" -lt "$deadline" ] || { echo "thread-cpu: no process matches '$pattern'" >&2; exit 1; }
  sleep 0.2 # the counters are cumulative: a late first sample loses nothing but short-lived threads
done
echo "thread-cpu: sampling pid $pid every ${interval}s" >&2

# Each sample: "epoch-seconds<TAB>tid<TAB>name<TAB>ticks" per thread, then the same with tid and name
# "process"; a later line for the same tid replaces the earlier one.
samples=${RAW:-$(mktemp)}
[ -n "${RAW:-}" ] || trap 'rm -f "$samples"' EXIT
: >"$samples"
sample() {
  awk -v t="$(date +%s.%N)" '
    {
      # The name sits between the first "(" and the last ")" and may hold spaces or ")".
      open = index($0, "("); match($0, /.*\)/); shut = RLENGTH
      name = substr($0, open + 1, shut - open - 1)
      split(substr($0, shut + 2), f, " ") # f[1] is field 3 (state): utime is f[12], stime f[13]
      key = (FILENAME ~ /\/task\//) ? $1 : "process"
      printf "%.1f\t%s\t%s\t%d\n", t, key, (key == "process" ? "process" : name), f[12] + f[13]
    }' "/proc/$pid/task/"*/stat "/proc/$pid/stat" 2>/dev/null || true
}
while [ -d "/proc/$pid" ]; do
  sample >>"$samples"
  sleep "$interval"
done

awk -F'\t' -v hz="$hz" '
  { ticks[$2] = $4; name[$2] = $3 }
  END {
    for (k in ticks) {
      if (k == "process") continue
      family = name[k]; sub(/[-#]?[0-9]+$/, "", family)
      sum[family] += ticks[k]; count[family]++; total += ticks[k]
    }
    printf "| threads | count | CPU s | share |\n|---|---:|---:|---:|\n"
    n = 0
    for (f in sum) order[++n] = f
    for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++)
      if (sum[order[j]] > sum[order[i]]) { t = order[i]; order[i] = order[j]; order[j] = t }
    for (i = 1; i <= n; i++)
      if (sum[order[i]] >= hz / 100)
        printf "| `%s` | %d | %.2f | %.1f %% |\n", order[i], count[order[i]], sum[order[i]] / hz, 100 * sum[order[i]] / total
    printf "| all sampled threads | | %.2f | |\n", total / hz
    printf "| process (kernel total at the last sample) | | %.2f | |\n", ticks["process"] / hz
  }' "$samples"
