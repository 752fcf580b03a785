package io.docshift.proxy.graphql;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What one request spent upstream (ledger statements, Admin API calls, S3 HEADs and LISTs) and its
 * actual cost: reported in {@code extensions}, so batching regressions show in every answer.
 */
final class Spend {
  final AtomicInteger ledgerQueries = new AtomicInteger();
  final AtomicInteger adminApiCalls = new AtomicInteger();
  final AtomicInteger s3Heads = new AtomicInteger();
  final AtomicInteger s3Lists = new AtomicInteger();
  final AtomicLong actualCost = new AtomicLong();
}
