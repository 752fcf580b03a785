package io.docshift.core.config;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.StoreTrust;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * Immutable settings of an {@code S3DocumentStore}, built by a validating {@link Builder}.
 *
 * @param endpoint endpoint override (LocalStack, MinIO, S3Proxy); empty for AWS
 * @param region the signing region, e.g. {@code us-east-1}
 * @param bucket the bucket holding the copies
 * @param keyPrefix prepended to every object key (e.g. {@code docshift/}); may be empty
 * @param accessKey static access key; empty (with {@code secretKey}) for the default credentials
 *     chain
 * @param secretKey static secret key, present exactly when {@code accessKey} is
 * @param pathStyle path-style addressing ({@code endpoint/bucket/key}), needed by most emulators
 * @param connectTimeout TCP connect timeout
 * @param readTimeout longest wait for the next response bytes (idle read)
 * @param writeTimeout longest wait for a write to the socket to complete
 * @param writeTotalTimeout longest whole call other than a streamed GET (put, metadata copy,
 *     delete, HEAD), enforced by the SDK ({@code apiCallTimeout}) whatever the socket does
 * @param maxConcurrency most connections open at once
 * @param trust the CAs an {@code https} endpoint's certificate must chain to
 */
public record S3Settings(
    Optional<URI> endpoint,
    String region,
    String bucket,
    String keyPrefix,
    Optional<String> accessKey,
    Optional<String> secretKey,
    boolean pathStyle,
    Duration connectTimeout,
    Duration readTimeout,
    Duration writeTimeout,
    Duration writeTotalTimeout,
    int maxConcurrency,
    StoreTrust trust) {

  /** Validates every component; errors read {@code name: value (expected: ...)}. */
  public S3Settings {
    requireNonNull(endpoint, "endpoint");
    requireNonNull(region, "region");
    requireNonNull(bucket, "bucket");
    requireNonNull(keyPrefix, "keyPrefix");
    requireNonNull(accessKey, "accessKey");
    requireNonNull(secretKey, "secretKey");
    check(!region.isBlank(), "region", region, "a region name such as us-east-1");
    check(
        bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
        "bucket",
        bucket,
        "3-63 lowercase letters, digits, '.' or '-'");
    check(!keyPrefix.startsWith("/"), "keyPrefix", keyPrefix, "no leading '/'");
    check(
        accessKey.isPresent() == secretKey.isPresent(),
        "accessKey",
        accessKey.isPresent() ? "<set>" : "<unset>",
        "set together with secretKey, or both unset for the default credentials chain");
    endpoint.ifPresent(
        uri ->
            check(
                uri.getScheme() != null && uri.getHost() != null,
                "endpoint",
                uri,
                "an absolute http(s) URI"));
    checkPositive("connectTimeout", connectTimeout);
    checkPositive("readTimeout", readTimeout);
    checkPositive("writeTimeout", writeTimeout);
    checkPositive("writeTotalTimeout", writeTotalTimeout);
    check(maxConcurrency > 0, "maxConcurrency", maxConcurrency, "> 0");
    requireNonNull(trust, "trust");
  }

  /** A builder with defaults: no endpoint override, empty prefix, default credentials chain. */
  public static Builder builder(String region, String bucket) {
    return new Builder(region, bucket);
  }

  @Override
  public String toString() {
    return "S3Settings{endpoint="
        + endpoint
        + ", region="
        + region
        + ", bucket="
        + bucket
        + ", keyPrefix="
        + keyPrefix
        + ", credentials="
        + (accessKey.isPresent() ? "static" : "default-chain")
        + ", pathStyle="
        + pathStyle
        + ", trust="
        + trust
        + "}";
  }

  private static void check(boolean ok, String name, Object value, String expected) {
    if (!ok) {
      throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
    }
  }

  private static void checkPositive(String name, Duration value) {
    requireNonNull(value, name);
    check(!value.isNegative() && !value.isZero(), name, value, "a positive duration");
  }

  /** Builds {@link S3Settings}; validation happens in {@link #build()}. */
  public static final class Builder {
    private final String region;
    private final String bucket;
    private URI endpoint;
    private String keyPrefix = "";
    private String accessKey;
    private String secretKey;
    private boolean pathStyle;
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration readTimeout = Duration.ofSeconds(30);
    private Duration writeTimeout = Duration.ofSeconds(30);
    private Duration writeTotalTimeout = Duration.ofMinutes(5);
    private int maxConcurrency = 64;
    private StoreTrust trust = StoreTrust.system();

    private Builder(String region, String bucket) {
      this.region = requireNonNull(region, "region");
      this.bucket = requireNonNull(bucket, "bucket");
    }

    public Builder endpoint(URI value) {
      this.endpoint = requireNonNull(value, "endpoint");
      return this;
    }

    public Builder keyPrefix(String value) {
      this.keyPrefix = requireNonNull(value, "keyPrefix");
      return this;
    }

    /** Static credentials instead of the default chain. */
    public Builder credentials(String newAccessKey, String newSecretKey) {
      this.accessKey = requireNonNull(newAccessKey, "accessKey");
      this.secretKey = requireNonNull(newSecretKey, "secretKey");
      return this;
    }

    public Builder pathStyle(boolean value) {
      this.pathStyle = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = requireNonNull(value, "connectTimeout");
      return this;
    }

    public Builder readTimeout(Duration value) {
      this.readTimeout = requireNonNull(value, "readTimeout");
      return this;
    }

    public Builder writeTimeout(Duration value) {
      this.writeTimeout = requireNonNull(value, "writeTimeout");
      return this;
    }

    public Builder writeTotalTimeout(Duration value) {
      this.writeTotalTimeout = requireNonNull(value, "writeTotalTimeout");
      return this;
    }

    public Builder maxConcurrency(int value) {
      this.maxConcurrency = value;
      return this;
    }

    /** The CAs the endpoint's certificate must chain to (default: the JDK's). */
    public Builder trust(StoreTrust value) {
      this.trust = requireNonNull(value, "trust");
      return this;
    }

    /**
     * @throws IllegalArgumentException naming the first invalid setting
     */
    public S3Settings build() {
      return new S3Settings(
          Optional.ofNullable(endpoint),
          region,
          bucket,
          keyPrefix,
          Optional.ofNullable(accessKey),
          Optional.ofNullable(secretKey),
          pathStyle,
          connectTimeout,
          readTimeout,
          writeTimeout,
          writeTotalTimeout,
          maxConcurrency,
          trust);
    }
  }
}
