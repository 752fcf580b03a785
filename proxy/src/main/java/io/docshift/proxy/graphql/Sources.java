package io.docshift.proxy.graphql;

import io.docshift.ledger.Ledger;
import io.docshift.traffic.control.TrafficControl;
import java.time.Clock;
import java.util.concurrent.Executor;

/**
 * What the resolvers read and change: the ledger, the traffic control the admin API uses, the two
 * stores' metadata (S3's by HEAD or by listing), and the verify walk behind {@code reverify}/{@code
 * repair}. {@code blocking} runs ledger I/O off the stores' event loops; {@code batching} off makes
 * every loader take one key per call (the naive N+1 baseline); {@code clock} dates rates and ETAs.
 */
record Sources(
    Ledger ledger,
    TrafficControl control,
    String cloud,
    CloudinaryResources cloudinary,
    S3Heads s3,
    S3Listings s3Listings,
    Executor blocking,
    boolean batching,
    DocumentChecks checks,
    Clock clock) {}
