#!/usr/bin/env bash
# GraphQL benchmark: a folder query for 100 documents with ledger, Cloudinary and S3
# fields, DataLoader batching on versus the naive switch (one upstream call per field per
# document), in one run, in one JVM, all on loopback. Prints p50/p99 response time, Admin API calls
# per query and each answer's extensions.spent (ledger statements, Admin API calls, S3 HEADs and LISTs).
#
#   loadtest/bench-graphql.sh               # DOCS=100 ROUNDS=40
#   DOCS=50 ROUNDS=10 loadtest/bench-graphql.sh
#   SMOKE=1 loadtest/bench-graphql.sh      # CI smoke: DOCS=10 ROUNDS=2
set -euo pipefail
# SMOKE=1: seconds, a tiny corpus, the same steps (tools installed when missing, every stage run);
# for CI, so a script that rots fails there. Its numbers mean nothing. Explicit settings still win.
if [ "${SMOKE:-0}" = 1 ]; then
  export DOCS=${DOCS:-10} ROUNDS=${ROUNDS:-2}
fi
root="$(cd "$(dirname "$0")/.." && pwd)"
jar="$root/app/target/docshift.jar"
command -v java >/dev/null || { echo "Java 17+ is needed" >&2; exit 1; }
if [[ ! -f "$jar" ]]; then
  (cd "$root" && mvn -B -q package -pl app -am -DskipTests)
fi
echo "GraphQL folder query, $(date -u +%Y-%m-%d), $(nproc) cores, $(java -version 2>&1 | head -1)"
java -Xmx1g -cp "$jar" "$root/loadtest/GraphqlBench.java"
