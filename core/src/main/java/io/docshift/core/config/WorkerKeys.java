package io.docshift.core.config;

import static io.docshift.core.config.Settings.typed;

import java.util.List;

/**
 * The threads, queues and background intervals of one serving instance ({@code proxy.*}): its event
 * loops, the read path's ledger threads and the upload threads, how long a fallback's repair is
 * deduplicated and how often the ledger's change feed is polled. Kept apart from {@link Settings}
 * so the catalog stays readable; the defaults are what the proxy ran with when they were constants.
 */
final class WorkerKeys {
  private static final ValueType THREADS = ValueType.integer(1, 1024);
  private static final ValueType QUEUE = ValueType.integer(1, 10_000_000);

  private WorkerKeys() {}

  static void proxy(List<Setting> all) {
    threads(all);
    background(all);
  }

  private static void threads(List<Setting> all) {
    all.add(
        typed(
            "proxy.eventLoopThreads",
            "0",
            "NIO event loops shared by client connections, the S3 client and the Cloudinary"
                + " delivery client; 0 = Netty's default (twice the available processors).",
            ValueType.integer(0, 1024)));
    all.add(
        typed(
            "proxy.shadowEventLoopThreads",
            "1",
            "Event loops of the shadow reads' own stores, so a shadow never runs on a loop that"
                + " serves clients.",
            THREADS));
    all.add(
        typed(
            "proxy.ledgerQueueCapacity",
            "10000",
            "Most read-path ledger lookups and repair enqueues waiting for one of the"
                + " ledger.maxPoolSize ledger threads.",
            QUEUE));
    all.add(
        typed(
            "proxy.writeThreads",
            "16",
            "Threads that parse, hash and record uploads (never the event loops).",
            THREADS));
    all.add(
        typed(
            "proxy.writeQueueCapacity",
            "10000",
            "Most upload steps waiting for one of the proxy.writeThreads.",
            QUEUE));
  }

  private static void background(List<Setting> all) {
    all.add(
        typed(
            "proxy.fallbackRepairDedupeMillis",
            "60000",
            "After a read falls back to Cloudinary and queues a repair of its document, further"
                + " fallbacks of that document queue none for this long (per instance).",
            ValueType.integer(1, 3_600_000)));
    all.add(
        typed(
            "proxy.fallbackRepairDedupeMaxEntries",
            "100000",
            "Most documents remembered for that deduplication.",
            ValueType.integer(1, 100_000_000)));
    all.add(
        typed(
            "proxy.changeFeedPollMillis",
            "250",
            "How often the ledger's change feed is read, so this instance's routing cache"
                + " forgets documents other instances wrote or deleted.",
            ValueType.integer(1, 60_000)));
  }
}
