#!/usr/bin/env bash
# Runs each Jazzer fuzz target of core and write in fuzzing mode for N minutes (default 1), one after the
# other, and prints what each found. Each target's @FuzzTest(maxDuration = "1m") bounds one run;
# N minutes are N runs in a row, each starting from the corpus the last one grew. Without JAZZER_FUZZ the same tests only replay their committed
# inputs (src/test/resources/.../*FuzzTestInputs), which is what `mvn verify` does.
#
#   loadtest/fuzz.sh [minutes]
#
# A crash is written by Jazzer as a new input next to the committed ones (a crash-* file) and the
# test fails; commit it once fixed, so the regression run keeps replaying it.
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-1}"
targets=(
  "io.docshift.core.key.DeliveryPathFuzzTest"
  "io.docshift.core.store.ByteRangeFuzzTest"
  "io.docshift.write.MultipartFuzzTest"
  "io.docshift.write.UploadAuthFuzzTest"
)
mkdir -p target/fuzz
for target in "${targets[@]}"; do
  name="${target##*.}"
  echo "== ${name}: fuzzing for ${minutes} min"
  start=$(date +%s)
  ok=1
  for run in $(seq 1 "${minutes}"); do
    if ! JAZZER_FUZZ=1 flock /tmp/docshift-cpu.lock mvn -B -q -o test -pl core,write -am \
        -Dtest="${target}" -Dsurefire.failIfNoSpecifiedTests=false \
        >>"target/fuzz/${name}.log" 2>&1; then
      ok=0
      break
    fi
  done
  if [ "${ok}" = 1 ]; then
    echo "   no finding in $(( $(date +%s) - start )) s"
  else
    echo "   FAILED after $(( $(date +%s) - start )) s: see target/fuzz/${name}.log"
  fi
  grep -hoE 'Done [0-9]+ runs in [0-9]+ second|cov: [0-9]+ ft: [0-9]+ corp: [0-9]+' "target/fuzz/${name}.log" | tail -2 || true
done
