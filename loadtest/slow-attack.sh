#!/usr/bin/env bash
# Slow-client attack: DocShift and nginx in front of the same store, in one run, each attacked by
# Debian's slowhttptest while wrk reads a document through it.
#
#   loadtest/slow-attack.sh                       # 60 s of attack per target (about 4 minutes)
#   ATTACK_SECONDS=20 loadtest/slow-attack.sh     # a quick look
#
# What it does, all on loopback, everything stopped at the end:
#   1. starts the sandbox (Cloudinary emulator, S3Proxy, ledger, DocShift at S3 weight 0, default
#      limits: proxy.headerReadTimeoutMillis 10 s, proxy.minBodyBytesPerSecond 500 after
#      proxy.bodyGraceMillis 20 s, proxy.idleTimeoutMillis 60 s, proxy.writeStallMillis 30 s,
#      proxy.maxInFlightUploads 64) with two seeded documents, and
#      nginx (Debian's defaults: client_header_timeout, client_body_timeout and send_timeout 60 s)
#      proxying to the same emulator;
#   2. per target, a baseline: wrk -t2 -c16 for BASELINE_SECONDS on the largest seeded document;
#   3. per target, the attack: three slowhttptest runs at once, CONNECTIONS in total (slowloris -H,
#      slow body -B against the Upload API path, slow read -X on the document), bounded to
#      ATTACK_SECONDS, while wrk reads the document as in the baseline;
#   4. prints, per target, wrk's p99 under attack against its baseline and its errors (socket
#      errors and non-2xx), and per attack how many slow connections were opened, how many the
#      server had closed by the end, and the second of the attack by which 95 % of them were closed
#      (from slowhttptest's per-second CSV);
#   5. per target, what the server itself holds: every second of the attack, its TCP sockets on the
#      port that are not done (ESTABLISHED, FIN-WAIT-1, CLOSE-WAIT, LAST-ACK, CLOSING; wrk's 16 taken
#      off), and for DocShift the connections its limits closed, by reason (docshift.proxy.
#      connections.closed from /metrics). slowhttptest sees a slow-read connection end only once it
#      has read what its own receive buffer holds (at 32 bytes per 5 s, minutes), whether the server
#      sent FIN or RST, so its count says nothing about when the server let go.
# Tools: slowhttptest, wrk, nginx, jq, curl and ss (iproute2) come from Debian, installed here
# when missing.
set -euo pipefail

ATTACK_SECONDS=${ATTACK_SECONDS:-60}
BASELINE_SECONDS=${BASELINE_SECONDS:-15}
CONNECTIONS=${CONNECTIONS:-1000}
BASE_PORT=${BASE_PORT:-18600}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
work="$(mktemp -d /tmp/docshift-slow-attack.XXXXXX)"
pids=()
P_PROXY=$((BASE_PORT + 80)) P_ADMIN=$((BASE_PORT + 90)) P_CLD=$((BASE_PORT + 81))
P_S3=$((BASE_PORT + 82)) P_NGX=$((BASE_PORT + 85))

log() { printf '[slow-attack] %s\n' "$*" >&2; }
# shellcheck source=loadtest/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

trap stop_started EXIT

wait_until() { # seconds command...
  local deadline=$((SECONDS + $1))
  shift
  until "$@" >/dev/null 2>&1; do
    [ $SECONDS -lt $deadline ] || { log "timed out waiting for: $*"; exit 1; }
    sleep 0.5
  done
}

start_sandbox() {
  log "starting the sandbox in $work/data"
  "$root/docshift" sandbox --data "$work/data" --seed 2 \
    --set proxy.port=$P_PROXY --set admin.port=$P_ADMIN \
    --set sandbox.cloudinaryPort=$P_CLD --set sandbox.s3Port=$P_S3 >"$work/sandbox.log" 2>&1 &
  pids+=($!)
  wait_until 180 test -f "$work/data/sandbox.json"
  wait_until 60 curl -s -o /dev/null "http://127.0.0.1:$P_PROXY/"
  CLOUD=$(jq -r .cloudinary.cloudName "$work/data/sandbox.json")
  local key secret rt
  key=$(jq -r .cloudinary.apiKey "$work/data/sandbox.json")
  secret=$(jq -r .cloudinary.apiSecret "$work/data/sandbox.json")
  for rt in image raw; do
    curl -s -u "$key:$secret" "http://127.0.0.1:$P_CLD/v1_1/$CLOUD/resources/$rt?max_results=10"
  done | jq -rs '[.[].resources[]] | max_by(.bytes) | "\(.bytes) \(.url)"' >"$work/doc"
  read -r DOC_BYTES DOC_URL <"$work/doc"
  DOC_PATH=$(sed -E 's#^https?://[^/]+/##' <<<"$DOC_URL")
  log "reading $DOC_PATH ($DOC_BYTES bytes)"
}

start_nginx() {
  mkdir -p "$work/nginx-tmp"
  cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx-error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $work/nginx-tmp;
  proxy_temp_path $work/nginx-tmp;
  upstream cloudinary { server 127.0.0.1:$P_CLD; keepalive 64; }
  server {
    listen 127.0.0.1:$P_NGX;
    location / { proxy_pass http://cloudinary; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
CONF
  nginx -c "$work/nginx.conf"
  wait_until 10 curl -s -o /dev/null "http://127.0.0.1:$P_NGX/"
}

# Prints "p99_ms errors" for one wrk run; errors = socket errors plus non-2xx answers.
run_wrk() { # url seconds
  wrk -t2 -c16 -d"$2"s --latency "$1" | awk '
    function ms(v) { if (v ~ /us$/) return v / 1000; if (v ~ /ms$/) return v + 0; if (v ~ /s$/) return v * 1000; return v }
    $1 == "99%" { p99 = ms($2) }
    /Socket errors/ { gsub(",", ""); errors += $4 + $6 + $8 + $10 }
    /Non-2xx/ { errors += $NF }
    END { printf "%.2f %d\n", p99, errors }'
}

# Prints "opened closed_by_end seconds_to_95pct_closed" from a slowhttptest CSV
# (Seconds,Closed,Pending,Connected,Service Available) and its log. slowhttptest stops as soon as
# the server has closed every connection ("No open connections left") without a CSV line for that
# last second, so then all count as closed one second after the last line.
closing() { # prefix
  local all=0
  grep -q 'No open connections left' "$1.log" && all=1
  awk -F, -v all=$all 'NR > 1 { s = $1; c = $2; open = $2 + $3 + $4; if (open > most) most = open; cl[s] = c; last = s }
    END { if (all) { last++; cl[last] = most }
          t = "never"; for (i = 0; i <= last; i++) if (t == "never" && most > 0 && cl[i] >= 0.95 * most) t = i
          printf "%d %d %s\n", most, cl[last], t }' "$1.csv"
}

# Appends "second sockets" lines: the server's sockets on port that still hold the connection.
sample_server() { # port file seconds
  local t
  for ((t = 0; t <= $3; t++)); do
    printf '%s %s\n' "$t" "$(ss -Htn state established state fin-wait-1 state close-wait \
      state last-ack state closing "( sport = :$1 )" | wc -l)" >>"$2"
    sleep 1
  done
}

# Prints "peak at_30s at_end second_95pct_gone" from sample_server's file, wrk's 16 taken off;
# "the end" is 3 s before the attack's, as the tools themselves close everything when they stop.
server_side() { # file seconds
  awk -v end="$2" '{ n = $2 - 16; if (n < 0) n = 0; c[$1] = n; if (n > most) most = n }
    END { t = "never"; for (i = 6; i <= end - 3; i++) if (t == "never" && c[i] <= 0.05 * most) t = i
          printf "%d %d %d %s\n", most, c[30], c[end - 3], t }' "$1"
}

attack() { # target-name base-url
  local name=$1 base=$2 each=$((CONNECTIONS / 3)) url="$2/$DOC_PATH"
  log "$name: warm-up (unmeasured), then baseline wrk for ${BASELINE_SECONDS}s"
  run_wrk "$url" 5 >/dev/null
  read -r base_p99 base_err < <(run_wrk "$url" "$BASELINE_SECONDS")
  log "$name: $CONNECTIONS slow connections for ${ATTACK_SECONDS}s, wrk alongside"
  sample_server "${base##*:}" "$work/$name-server" "$ATTACK_SECONDS" &
  local sampler=$!
  slowhttptest -H -c "$each" -r 200 -i 5 -l "$ATTACK_SECONDS" -u "$url" -g -o "$work/$name-slowloris" >"$work/$name-slowloris.log" 2>&1 &
  local a=$!
  slowhttptest -B -c "$each" -r 200 -i 5 -x 10 -s 65536 -l "$ATTACK_SECONDS" \
    -u "$base/v1_1/$CLOUD/raw/upload" -g -o "$work/$name-slowbody" >"$work/$name-slowbody.log" 2>&1 &
  local b=$!
  slowhttptest -X -c "$((CONNECTIONS - 2 * each))" -r 200 -w 512 -y 1024 -n 5 -z 32 -k 3 \
    -l "$ATTACK_SECONDS" -u "$url" -g -o "$work/$name-slowread" >"$work/$name-slowread.log" 2>&1 &
  local c=$!
  sleep 3 # let the slow connections open before measuring
  read -r att_p99 att_err < <(run_wrk "$url" "$((ATTACK_SECONDS - 5))")
  wait "$a" "$b" "$c" "$sampler" || true
  printf '| %s | %.2f | %d | %.2f | %d | %.2f |' "$name" "$base_p99" "$base_err" "$att_p99" "$att_err" \
    "$(echo "$att_p99 / $base_p99" | bc -l)" >>"$work/wrk.md"
  printf '\n' >>"$work/wrk.md"
  local kind
  for kind in slowloris slowbody slowread; do
    read -r opened closed t95 < <(closing "$work/$name-$kind")
    printf '| %s | %s | %s | %s | %s |\n' "$name" "$kind" "$opened" "$closed" "$t95" >>"$work/slow.md"
  done
  read -r peak at30 atend gone < <(server_side "$work/$name-server" "$ATTACK_SECONDS")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "$peak" "$at30" "$atend" "$gone" >>"$work/server.md"
}

# Prints DocShift's docshift.proxy.connections.closed by reason, as "reason=count ...".
limit_closes() {
  local url token
  url=$(jq -r .admin.url "$work/data/sandbox.json")
  token=$(jq -r .admin.token "$work/data/sandbox.json")
  curl -s -H "Authorization: Bearer $token" "$url/metrics" |
    awk -F'[{}" ]' '/^docshift_proxy_connections_closed_total/ { for (i = 1; i < NF; i++) if ($i == "reason=") r = $(i + 1); printf "%s=%d ", r, $NF }'
}

install_missing slowhttptest:slowhttptest wrk:wrk nginx:nginx-light jq:jq curl:curl bc:bc ss:iproute2
start_sandbox
start_nginx
printf '| target | baseline p99 ms | baseline errors | p99 ms under attack | errors under attack | p99 ratio |\n|---|---|---|---|---|---|\n' >"$work/wrk.md"
printf '| target | attack | slow connections opened | closed by the server by the end | second 95 %% were closed |\n|---|---|---|---|---|\n' >"$work/slow.md"
printf '| target | slow connections the server held at most | still held at second 30 | still held at the end | second 95 %% were gone |\n|---|---|---|---|---|\n' >"$work/server.md"
attack docshift "http://127.0.0.1:$P_PROXY"
closes=$(limit_closes)
attack nginx "http://127.0.0.1:$P_NGX"
{
  printf '## Slow-client attack: %s, %s slow connections for %ss per target, wrk -t2 -c16 alongside\n' \
    "$(date -u +%F)" "$CONNECTIONS" "$ATTACK_SECONDS"
  printf 'Machine: %s cores, %s; document %s (%s bytes) from the emulator\n\n' "$(nproc)" \
    "$(java -version 2>&1 | head -1)" "$DOC_PATH" "$DOC_BYTES"
  cat "$work/wrk.md"
  printf '\n'
  cat "$work/slow.md"
  printf '\nServer side (its sockets on the port, wrk'"'"'s 16 taken off):\n\n'
  cat "$work/server.md"
  printf '\nDocShift limit closes (docshift.proxy.connections.closed): %s\n' "$closes"
} | tee "${OUT:-/dev/null}"
