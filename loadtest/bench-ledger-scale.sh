#!/usr/bin/env bash
# Ledger scale benchmark: a fresh ledger of each size (synthetic rows, plain JDBC batch inserts
# after the ledger's own migrations), then what the backfill, `docshift status`, the gauges and a
# restarted worker run against it, timed per 1,000 documents or per call (median of REPS), with
# the JVM's heap and peak RSS, and the query plans of the hot statements at the largest size.
#
#   loadtest/bench-ledger-scale.sh                                   # SIZES="10000 200000 2000000" DB="h2 postgres"
#   SIZES="10000 200000" DB=postgres REPS=3 loadtest/bench-ledger-scale.sh
#   SMOKE=1 loadtest/bench-ledger-scale.sh                           # CI smoke: SIZES="1000 5000" REPS=2 DOCS=100
#
# Knobs: SIZES, DB (h2, postgres), REPS (median of; the first of 3 or more is a warm-up and
# dropped), DOCS (documents per measure, scaled to 1,000; at 2 M rows a claim takes seconds, so
# DOCS=100 REPS=1 keeps a run to minutes), LEASES_ONLY=1 (only the lease-owner measures), EXPLAIN=0
# (no query plans), HEAP (default 512m), COUNT_SLOTS (rows per ledger counter; default 8),
# PG_URL_OPTIONS (appended to the PostgreSQL JDBC URL, e.g. "&prepareThreshold=0"), ANALYZE=0 (no
# ANALYZE of PostgreSQL's documents table after the fill: the planner's statistics are then an
# empty table's, as for a minute after a bulk load before autovacuum catches up).
#
# PostgreSQL is the embedded PostgreSQL the ledger's tests start (binaries from Maven Central): the
# runnable jar does not carry it, so its classpath comes from loadtest/ledger-scale-pg/pom.xml.
set -euo pipefail
# SMOKE=1: seconds, a tiny ledger, the same steps (both databases, every measure, the plans);
# for CI, so a script that rots fails there. Its numbers mean nothing. Explicit settings still win.
if [ "${SMOKE:-0}" = 1 ]; then
  export SIZES=${SIZES:-"1000 5000"} REPS=${REPS:-2} DOCS=${DOCS:-100}
fi
export SIZES=${SIZES:-"10000 200000 2000000"} DB=${DB:-"h2 postgres"} REPS=${REPS:-5}
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/app/target/docshift.jar"
command -v java >/dev/null || { echo "Java 17+ is needed" >&2; exit 1; }
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q package -pl app -am -DskipTests)
fi
cp="$jar"
if [[ " $DB " == *" postgres "* ]]; then
  pgcp="$(mktemp)"
  trap 'rm -f "$pgcp"' EXIT
  mvn -B -q -f "$root/loadtest/ledger-scale-pg/pom.xml" dependency:build-classpath \
    -Dmdep.includeScope=runtime -Dmdep.outputFile="$pgcp" >/dev/null
  cp="$jar:$(cat "$pgcp")"
fi
echo "Ledger scale: SIZES=\"$SIZES\" DB=\"$DB\" REPS=$REPS, $(date -u +%Y-%m-%d), $(nproc) cores," \
  "$(java -version 2>&1 | head -1)"
java -Xmx${HEAP:-512m} ${COUNT_SLOTS:+-Ddocshift.ledger.countSlots=$COUNT_SLOTS} -cp "$cp" "$root/loadtest/LedgerScaleBench.java"
