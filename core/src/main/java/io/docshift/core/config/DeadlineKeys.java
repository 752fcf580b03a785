package io.docshift.core.config;

import static io.docshift.core.config.Settings.typed;

import java.util.List;

/**
 * The deadlines on calls to the stores (how long a connect may take and how long one call may wait
 * on its store in total) and on slow clients of the proxy. Each is added at the end of its own
 * section ({@code cloudinary.*}, {@code s3.*}, {@code proxy.*}); kept apart from {@link Settings}
 * so the catalog stays readable. A store that accepts a connection and never answers, or drops the
 * SYN, is bounded by these, never by the client's patience.
 */
final class DeadlineKeys {
  private static final ValueType CONNECT_MILLIS = ValueType.integer(1, 600_000);
  private static final ValueType TOTAL_MILLIS = ValueType.integer(1, 3_600_000);

  private DeadlineKeys() {}

  static void cloudinary(List<Setting> all) {
    all.add(
        typed(
            "cloudinary.connectTimeoutMillis",
            "2000",
            "Longest wait for a new connection to Cloudinary (delivery and API); a host that"
                + " drops the SYN fails here as a Cloudinary connect error (502).",
            CONNECT_MILLIS));
    all.add(
        typed(
            "cloudinary.apiTotalTimeoutMillis",
            "300000",
            "Longest whole Upload/Admin API call whose answer is read whole (upload, destroy,"
                + " deletes, renames): sending the body and reading the answer; a Cloudinary that"
                + " trickles is cut here (504). The default sends 100 MB at about 330 kB/s.",
            TOTAL_MILLIS));
  }

  static void s3(List<Setting> all) {
    all.add(
        typed(
            "s3.connectTimeoutMillis",
            "2000",
            "Longest wait for a new connection to S3; a host that drops the SYN fails here as an"
                + " S3 connect error.",
            CONNECT_MILLIS));
    all.add(
        typed(
            "s3.writeTotalTimeoutMillis",
            "300000",
            "Longest whole S3 call other than a streamed read (put, metadata copy, delete, HEAD),"
                + " by the upload path, the backfill and the repair worker alike: an S3 that"
                + " accepts and never answers is cut here as an S3 timeout, so it pins no upload"
                + " and no worker. The default sends 100 MB at about 330 kB/s. Reads are bounded by"
                + " proxy.storeTotalWaitMillis instead.",
            TOTAL_MILLIS));
  }

  static void proxy(List<Setting> all) {
    all.add(
        typed(
            "proxy.storeTotalWaitMillis",
            "120000",
            "Longest total time one streamed store call (reads, API pass-through) may spend waiting"
                + " on its store: for the response headers plus every body read asked for; a slowly"
                + " reading client's pauses do not count. A store that trickles a byte just often"
                + " enough to never be silent is cut here. The default moves 100 MB at a little"
                + " under 1 MB/s.",
            TOTAL_MILLIS));
    all.add(
        typed(
            "proxy.writeStallMillis",
            "30000",
            "Close a client connection that stays unwritable this long: the client read less than"
                + " the 32 KiB between the write-buffer watermarks in that time. Catches slow"
                + " readers the idle timeout cannot, since each byte they take counts as progress.",
            TOTAL_MILLIS));
    all.add(
        typed(
            "proxy.minResponseBytesPerSecond",
            "1024",
            "Slowest reader of a response: once the socket's send buffer is full (the client, not"
                + " the store, sets the pace), the client must take this many bytes per second,"
                + " falling at most proxy.responseRateGraceMillis behind, or the connection is"
                + " closed; each byte it takes extends its deadline by 1/rate seconds, to at most"
                + " one grace from now. An answer that fits whole"
                + " in the kernel's send buffer is bounded by the idle timeout instead. 0 = no"
                + " floor.",
            ValueType.integer(0, 1_000_000_000)));
    all.add(
        typed(
            "proxy.responseRateGraceMillis",
            "20000",
            "Time a reader may lag behind a full send buffer before"
                + " proxy.minResponseBytesPerSecond applies.",
            ValueType.integer(1, 3_600_000)));
    all.add(
        typed(
            "proxy.socketSendBufferBytes",
            "65536",
            "SO_SNDBUF of client connections (nginx's listen sndbuf=). Linux doubles it and caps it"
                + " at net.core.wmem_max. Without it the kernel autotunes the buffer up to"
                + " net.ipv4.tcp_wmem's maximum (about 2.5 MB per connection on loopback), so a"
                + " slow reader of an answer that fits there is never judged by"
                + " proxy.minResponseBytesPerSecond. It also bounds one connection's throughput to"
                + " about twice this per round trip. 0 = the kernel's autotuning.",
            ValueType.integer(0, 67_108_864)));
  }
}
