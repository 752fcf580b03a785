package io.docshift.core.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Builds the typed sections from validated values (so parsing here cannot fail). */
final class SectionReader {
  private final Map<String, String> values;

  SectionReader(Map<String, String> values) {
    this.values = values;
  }

  CloudinaryConfig cloudinary() {
    return new CloudinaryConfig(
        text("cloudinary.cloudName"),
        text("cloudinary.apiKey"),
        text("cloudinary.apiSecret"),
        URI.create(text("cloudinary.apiUrl")),
        text("cloudinary.deliveryUrl"),
        SignatureAlgorithm.valueOf(text("cloudinary.signatureAlgorithm")),
        number("cloudinary.requestTimeoutMillis"),
        number("cloudinary.connectTimeoutMillis"),
        number("cloudinary.apiTotalTimeoutMillis"),
        text("cloudinary.caFile"));
  }

  S3Config s3() {
    String endpoint = text("s3.endpoint");
    return new S3Config(
        endpoint.isEmpty() ? Optional.empty() : Optional.of(URI.create(endpoint)),
        text("s3.region"),
        text("s3.bucket"),
        text("s3.keyPrefix"),
        text("s3.accessKey"),
        text("s3.secretKey"),
        Boolean.parseBoolean(text("s3.pathStyle")),
        number("s3.requestTimeoutMillis"),
        number("s3.connectTimeoutMillis"),
        text("s3.caFile"),
        number("s3.writeTotalTimeoutMillis"),
        S3ReadClient.valueOf(text("s3.readClient")),
        integer("s3.maxConnections"));
  }

  LedgerConfig ledger() {
    return new LedgerConfig(
        text("ledger.url"),
        text("ledger.user"),
        text("ledger.password"),
        integer("ledger.maxPoolSize"),
        integer("ledger.mismatchSampleLimit"));
  }

  ProxyConfig proxy() {
    return new ProxyConfig(
        text("proxy.host"),
        integer("proxy.port"),
        integer("proxy.maxRequestLineBytes"),
        integer("proxy.maxHeaderBytes"),
        number("proxy.idleTimeoutMillis"),
        number("proxy.headerReadTimeoutMillis"),
        number("proxy.s3FirstByteTimeoutMillis"),
        number("proxy.ledgerCacheTtlMillis"),
        number("proxy.ledgerCacheMaxEntries"),
        number("proxy.cacheMaxAgeSeconds"),
        number("proxy.maxUploadBodyBytes"),
        integer("proxy.maxHeaderCount"),
        integer("proxy.maxConnections"),
        integer("proxy.maxInFlightUploads"),
        text("proxy.spoolDir"),
        number("proxy.minBodyBytesPerSecond"),
        number("proxy.bodyGraceMillis"),
        number("proxy.spoolReserveBytes"),
        number("proxy.storeTotalWaitMillis"),
        number("proxy.writeStallMillis"),
        number("proxy.minResponseBytesPerSecond"),
        number("proxy.responseRateGraceMillis"),
        integer("proxy.eventLoopThreads"),
        integer("proxy.shadowEventLoopThreads"),
        integer("proxy.ledgerQueueCapacity"),
        integer("proxy.writeThreads"),
        integer("proxy.writeQueueCapacity"),
        number("proxy.fallbackRepairDedupeMillis"),
        number("proxy.fallbackRepairDedupeMaxEntries"),
        number("proxy.changeFeedPollMillis"),
        integer("proxy.socketSendBufferBytes"));
  }

  AdminConfig admin() {
    return new AdminConfig(
        text("admin.host"),
        integer("admin.port"),
        text("admin.token"),
        text("admin.operatorTokens"));
  }

  TrafficConfig traffic() {
    return new TrafficConfig(
        integer("traffic.s3ReadPercent"),
        WriteMode.valueOf(text("traffic.writeMode")),
        integer("traffic.shadowPercent"));
  }

  SandboxConfig sandbox() {
    return new SandboxConfig(
        integer("sandbox.cloudinaryPort"),
        integer("sandbox.s3Port"),
        integer("sandbox.seedCount"),
        text("sandbox.seedProfile"),
        integer("sandbox.bulkDeletePageSize"));
  }

  BackfillConfig backfill() {
    return new BackfillConfig(
        integer("backfill.concurrency"),
        integer("backfill.adminCallsPerHour"),
        integer("backfill.batchSize"),
        number("backfill.leaseMillis"));
  }

  RepairConfig repair() {
    return new RepairConfig(
        Boolean.parseBoolean(text("repair.enabled")),
        number("repair.intervalMillis"),
        integer("repair.concurrency"),
        number("repair.initialBackoffMillis"),
        number("repair.maxBackoffMillis"),
        integer("repair.jitterPercent"),
        integer("repair.batchSize"),
        number("repair.leaseMillis"));
  }

  MetricsConfig metrics() {
    return new MetricsConfig(number("metrics.ledgerPollMillis"));
  }

  DatadogConfig datadog() {
    return new DatadogConfig(
        text("datadog.apiKey"),
        URI.create(text("datadog.uri")),
        integer("datadog.stepSeconds"),
        text("datadog.host"),
        tags(text("datadog.tags")));
  }

  /** {@code key:value,key:value} (validated); a value may itself contain ':'. */
  private static Map<String, String> tags(String list) {
    Map<String, String> tags = new LinkedHashMap<>();
    if (!list.isEmpty()) {
      for (String tag : list.split(",")) {
        int colon = tag.indexOf(':');
        tags.put(tag.substring(0, colon), tag.substring(colon + 1));
      }
    }
    return tags;
  }

  ShadowConfig shadow() {
    return new ShadowConfig(
        ShadowMode.valueOf(text("shadow.mode")),
        integer("shadow.maxConcurrent"),
        number("shadow.timeoutMillis"));
  }

  VerifyConfig verify() {
    return new VerifyConfig(integer("verify.concurrency"));
  }

  private String text(String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException("no setting " + key);
    }
    return value;
  }

  private int integer(String key) {
    return Integer.parseInt(text(key));
  }

  private long number(String key) {
    return Long.parseLong(text(key));
  }
}
