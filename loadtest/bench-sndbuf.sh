#!/usr/bin/env bash
# What proxy.socketSendBufferBytes costs a fast reader: one client reading a 1 MiB and a 100 MiB
# document through DocShift (sandbox, S3 weight 0), once per send-buffer setting, in one run.
#
#   loadtest/bench-sndbuf.sh                          # 0 (autotuned), 64, 128, 256 KiB
#   SNDBUFS="0 65536" ROUNDS_1M=20 loadtest/bench-sndbuf.sh
#
# On loopback only: a round trip there is tens of microseconds, so this shows what the cap costs in
# system calls and wake-ups, not what it costs on a long link (about twice the cap per round trip).
# What it does, everything stopped at the end:
#   1. per value of SNDBUFS: starts the sandbox with proxy.socketSendBufferBytes at that value,
#      uploads a 1 MiB and a 100 MiB document to the emulator (signed Upload API), reads each once
#      unmeasured, then ROUNDS_1M sequential curl reads of 1 MiB and ROUNDS_100M of 100 MiB;
#   2. prints MB/s per setting and size (total bytes over total time), markdown for RESULTS.md.
# Tools: curl, jq from Debian, installed here when missing.
set -euo pipefail

SNDBUFS=${SNDBUFS:-"0 65536 131072 262144"}
ROUNDS_1M=${ROUNDS_1M:-50}
ROUNDS_100M=${ROUNDS_100M:-3}
BASE_PORT=${BASE_PORT:-18700}
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

work="$(mktemp -d /tmp/docshift-bench-sndbuf.XXXXXX)"
pids=()
P_PROXY=$((BASE_PORT + 80)) P_ADMIN=$((BASE_PORT + 90)) P_CLD=$((BASE_PORT + 81)) P_S3=$((BASE_PORT + 82))

log() { printf '[bench-sndbuf] %s\n' "$*" >&2; }
# shellcheck source=loadtest/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
trap stop_started EXIT

wait_for() { # file-or-url seconds
  local what=$1 deadline=$((SECONDS + $2))
  until { [[ $what == http* ]] && curl -s -o /dev/null "$what"; } || [ -f "$what" ]; do
    [ $SECONDS -lt $deadline ] || { log "timed out waiting for $what"; exit 1; }
    sleep 0.5
  done
}

upload() { # public_id file [extra curl args]: signed like the SDKs do
  local id=$1 file=$2 ts sig
  shift 2
  ts=$(date +%s)
  sig=$(printf 'public_id=%s&timestamp=%s%s' "$id" "$ts" "$SECRET" | sha1sum | cut -d' ' -f1)
  curl -sf "http://127.0.0.1:$P_CLD/v1_1/$CLOUD/raw/upload" "$@" -F "public_id=$id" \
    -F "timestamp=$ts" -F "api_key=$KEY" -F "signature=$sig" -F "file=@$file" >/dev/null
}

upload_large() { # public_id file: chunked upload_large in 20 MB parts
  local id=$1 file=$2 size chunk=20000000 start=0 uid="bench-$RANDOM$RANDOM"
  size=$(stat -c %s "$file")
  while [ $start -lt "$size" ]; do
    local end=$((start + chunk - 1))
    [ $end -ge "$size" ] && end=$((size - 1))
    dd if="$file" of="$work/part" bs=1M iflag=skip_bytes,count_bytes skip=$start \
      count=$((end - start + 1)) status=none
    upload "$id" "$work/part" -H "X-Unique-Upload-Id: $uid" -H "Content-Range: bytes $start-$end/$size"
    start=$((end + 1))
  done
}

# Prints MB/s of ROUNDS sequential reads of url (total bytes over total time).
measure() { # url rounds
  local i bytes=0 secs=0 out
  for ((i = 0; i < $2; i++)); do
    out=$(curl -sf -o /dev/null -w '%{size_download} %{time_total}' "$1")
    bytes=$((bytes + ${out% *}))
    secs=$(echo "$secs + ${out#* }" | bc -l)
  done
  echo "$bytes / $secs / 1000000" | bc -l | xargs printf '%.1f'
}

run_one() { # sndbuf
  local data="$work/data-$1" pid
  "$root/docshift" sandbox --data "$data" --seed 0 --set proxy.socketSendBufferBytes="$1" \
    --set proxy.port=$P_PROXY --set admin.port=$P_ADMIN \
    --set sandbox.cloudinaryPort=$P_CLD --set sandbox.s3Port=$P_S3 >"$work/sandbox-$1.log" 2>&1 &
  pid=$!
  pids+=($pid)
  wait_for "$data/sandbox.json" 180
  CLOUD=$(jq -r .cloudinary.cloudName "$data/sandbox.json")
  KEY=$(jq -r .cloudinary.apiKey "$data/sandbox.json")
  SECRET=$(jq -r .cloudinary.apiSecret "$data/sandbox.json")
  upload bench/1m.bin "$work/1m.bin"
  upload_large bench/100m.bin "$work/100m.bin"
  local base="http://127.0.0.1:$P_PROXY/$CLOUD/raw/upload/bench"
  curl -sf -o /dev/null "$base/1m.bin" && curl -sf -o /dev/null "$base/100m.bin" # warm-up
  printf '| %s | %s | %s |\n' "$1" "$(measure "$base/1m.bin" "$ROUNDS_1M")" \
    "$(measure "$base/100m.bin" "$ROUNDS_100M")" >>"$work/table.md"
  kill "$pid"
  wait "$pid" 2>/dev/null || true
}

install_missing curl:curl jq:jq bc:bc
head -c 1048576 /dev/urandom >"$work/1m.bin"
head -c 104857600 /dev/urandom >"$work/100m.bin"
printf '| proxy.socketSendBufferBytes | 1 MiB read, MB/s | 100 MiB read, MB/s |\n|---|---|---|\n' >"$work/table.md"
for b in $SNDBUFS; do
  log "proxy.socketSendBufferBytes=$b"
  run_one "$b"
done
{
  printf '## Send-buffer cap: %s, loopback, %s x 1 MiB and %s x 100 MiB sequential reads per setting\n' \
    "$(date -u +%F)" "$ROUNDS_1M" "$ROUNDS_100M"
  printf 'Machine: %s cores, %s; net.core.wmem_max %s, net.ipv4.tcp_wmem %s\n\n' "$(nproc)" \
    "$(java -version 2>&1 | head -1)" "$(cat /proc/sys/net/core/wmem_max)" "$(tr '\t' ' ' </proc/sys/net/ipv4/tcp_wmem)"
  cat "$work/table.md"
} | tee "${OUT:-/dev/null}"
