#!/usr/bin/env bash
# History checker: 16 clients, 12 public_ids, both dual write modes side by side, `docshift serve`
# (a child JVM per mode) killed with SIGKILL 10 times and its S3 stopped mid-upload 3 times, then a
# drained repair outbox and a check of every acknowledged operation against both stores, the ledger
# and reads at S3 weight 100 and 0. The report (and any violation, with each public_id's operations)
# is printed per mode. Default: the long form (longer gaps between kills, more operations);
# QUICK=1 runs the short gaps, the form `mvn verify` runs.
#
#   loadtest/history.sh              # seed 13
#   SEED=7 loadtest/history.sh       # another seeded schedule of operations and faults
#   MODES=DUAL_S3_PRIMARY loadtest/history.sh
set -euo pipefail
cd "$(dirname "$0")/.."
SEED=${SEED:-13}
if [ "${QUICK:-0}" = 1 ]; then LONG=false; fi
mvn -B -q test -pl app -am \
  -Dtest=HistoryTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Ddocshift.history.long="${LONG:-true}" \
  -Ddocshift.history.modes="${MODES:-DUAL_CLOUDINARY_PRIMARY,DUAL_S3_PRIMARY}" \
  -Ddocshift.history.seed="$SEED" \
  -DtrimStackTrace=true && status=0 || status=$?
grep -h -A400 '^history' app/target/surefire-reports/io.docshift.app.write.HistoryTest-output.txt \
  | grep -v ' INFO \| WARN \| DEBUG ' || true
exit $status
