package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.S3Settings;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreCalls;
import io.docshift.core.store.StoreException;
import io.netty.channel.EventLoopGroup;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.async.AsyncResponseTransformer;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.nio.netty.NettyNioAsyncHttpClient;
import software.amazon.awssdk.http.nio.netty.SdkEventLoopGroup;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3AsyncClientBuilder;
import software.amazon.awssdk.services.s3.model.ChecksumAlgorithm;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MetadataDirective;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.utils.SdkAutoCloseable;

/**
 * {@link DocumentStore} over S3 (AWS SDK v2 {@link S3AsyncClient} on the Netty NIO HTTP client).
 * Keys follow the fixed layout ({@link DocumentKey#s3Key(String)}); user metadata carries {@code
 * md5}, {@code sha256} and {@code cloudinary-version}.
 *
 * <p>Integrity: {@code put} declares the SHA-256 as the S3 checksum ({@code x-amz-checksum-sha256})
 * and the MD5 as {@code Content-MD5} when known, so S3 itself rejects a corrupted body ({@link
 * Outcome#CHECKSUM_MISMATCH}) and nothing is stored. A {@link io.docshift.core.store.PutCondition}
 * becomes {@code If-None-Match: *} or {@code If-Match}; a failed precondition is a {@link
 * Outcome#CLIENT_ERROR} whose cause has status 412 (409 for a concurrent conditional write).
 *
 * <p>The SDK makes a single attempt per call: bodies are not replayable, and the read path falls
 * back to Cloudinary rather than waiting for retries. Callers that can replay (backfill, repair)
 * retry themselves. Failures complete futures with a classified {@link StoreException}. Every call
 * but a streamed GET (put, metadata copy, delete, HEAD) has a total deadline ({@link
 * S3Settings#writeTotalTimeout()}): an S3 that accepts and never answers fails it as {@link
 * Outcome#S3_TIMEOUT}.
 */
public final class S3DocumentStore implements DocumentStore {
  private final S3AsyncClient client;
  private final AwsCredentialsProvider credentials;
  private final String bucket;
  private final String keyPrefix;

  /**
   * The total deadline of every call but a streamed GET (writes and the HEADs they make). Per
   * request rather than on the client: a streamed GET's body is read at the client's pace, which
   * the proxy bounds itself, and must not be cut by it.
   */
  private final Consumer<AwsRequestOverrideConfiguration.Builder> writeDeadline;

  private S3DocumentStore(
      S3AsyncClient client, S3Settings settings, AwsCredentialsProvider credentials) {
    this.client = client;
    this.credentials = credentials;
    this.bucket = settings.bucket();
    this.keyPrefix = settings.keyPrefix();
    Duration total = settings.writeTotalTimeout();
    this.writeDeadline = o -> o.apiCallTimeout(total).apiCallAttemptTimeout(total);
  }

  /**
   * A store on DocShift's process-wide S3 event loops. {@link #close()} closes the store's
   * connections and returns at once; the event loops stay up for the next store (they are daemon
   * threads and end with the process).
   */
  public static S3DocumentStore create(S3Settings settings) {
    requireNonNull(settings, "settings");
    AwsCredentialsProvider credentials = S3Credentials.provider(settings);
    return new S3DocumentStore(
        client(settings, S3EventLoops.shared(), credentials), settings, credentials);
  }

  /**
   * A store whose HTTP client runs on the caller's event loops (e.g. the proxy's), which {@link
   * #close()} leaves running.
   *
   * @param group a group the AWS SDK recognises: {@code NioEventLoopGroup} or {@code
   *     EpollEventLoopGroup} (both still {@code MultiThreadIoEventLoopGroup}s in Netty 4.2); the
   *     SDK derives socket and datagram channel types from the group's class
   * @throws IllegalArgumentException when the SDK does not recognise the group's class
   */
  public static S3DocumentStore create(S3Settings settings, EventLoopGroup group) {
    requireNonNull(settings, "settings");
    requireNonNull(group, "group");
    SdkEventLoopGroup sdkGroup;
    try {
      sdkGroup = SdkEventLoopGroup.create(group);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "group: "
              + group.getClass().getName()
              + " (expected: NioEventLoopGroup or EpollEventLoopGroup, which the AWS SDK recognises)",
          e);
    }
    AwsCredentialsProvider credentials = S3Credentials.provider(settings);
    return new S3DocumentStore(client(settings, sdkGroup, credentials), settings, credentials);
  }

  /** A client with the SDK's own credentials (static keys, or a default chain it owns). */
  static S3AsyncClient client(S3Settings settings, SdkEventLoopGroup group) {
    return client(settings, group, null);
  }

  private static S3AsyncClient client(
      S3Settings settings, SdkEventLoopGroup group, AwsCredentialsProvider credentials) {
    NettyNioAsyncHttpClient.Builder http =
        NettyNioAsyncHttpClient.builder()
            .connectionTimeout(settings.connectTimeout())
            .readTimeout(settings.readTimeout())
            .writeTimeout(settings.writeTimeout())
            .maxConcurrency(settings.maxConcurrency())
            .eventLoopGroup(group);
    // A custom CA bundle replaces the JDK's trust; certificates are verified either way.
    settings
        .trust()
        .trustManagers()
        .ifPresent(managers -> http.tlsTrustManagersProvider(() -> managers));
    S3AsyncClientBuilder builder =
        S3AsyncClient.builder()
            .httpClientBuilder(http)
            .region(Region.of(settings.region()))
            .forcePathStyle(settings.pathStyle())
            // Checksums only when DocShift declares them: no SDK-computed aws-chunked trailers.
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
            .overrideConfiguration(o -> o.retryStrategy(AwsRetryStrategy.doNotRetry()));
    settings.endpoint().ifPresent(builder::endpointOverride);
    AwsCredentialsProvider provider =
        credentials != null ? credentials : S3Credentials.staticOrNull(settings);
    if (provider != null) {
      builder.credentialsProvider(provider);
    }
    return builder.build();
  }

  /**
   * The credentials this store signs with, for reads that sign their own requests ({@link
   * NettyS3Store}): refreshed by the provider, never copied.
   */
  AwsCredentialsProvider credentials() {
    return credentials;
  }

  /**
   * The temporary objects of chunked uploads, in this store's bucket and over its client (valid
   * until {@link #close()}).
   */
  public S3Temporaries temporaries() {
    return new S3Temporaries(client, bucket, keyPrefix);
  }

  @Override
  public Backend backend() {
    return Backend.S3;
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    requireNonNull(key, "key");
    String s3Key = key.s3Key(keyPrefix);
    return StoreCalls.classified(
        Backend.S3,
        "head",
        key,
        () -> headObject(s3Key).thenApply(response -> S3Mapping.meta(response)));
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    requireNonNull(key, "key");
    requireNonNull(range, "range");
    GetObjectRequest.Builder request =
        GetObjectRequest.builder().bucket(bucket).key(key.s3Key(keyPrefix));
    range.ifPresent(r -> request.range(r.toHeaderValue()));
    return StoreCalls.classified(
        Backend.S3,
        "get",
        key,
        () ->
            client
                .getObject(request.build(), AsyncResponseTransformer.toPublisher())
                .thenApply(
                    publisher ->
                        new DocumentResponse(
                            S3Mapping.meta(publisher.response()),
                            S3Mapping.contentRange(publisher.response()),
                            new ErrorMappingPublisher(
                                publisher,
                                t -> StoreException.wrap(Backend.S3, "get body", key, t)))));
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    requireNonNull(key, "key");
    requireNonNull(request, "request");
    PutObjectRequest.Builder put =
        PutObjectRequest.builder()
            .bucket(bucket)
            .key(key.s3Key(keyPrefix))
            .contentLength(request.contentLength())
            .contentType(request.contentType())
            .metadata(S3Mapping.metadata(request))
            .overrideConfiguration(writeDeadline);
    request
        .sha256Hex()
        .ifPresent(
            sha ->
                put.checksumAlgorithm(ChecksumAlgorithm.SHA256)
                    .checksumSHA256(S3Mapping.base64OfHex(sha)));
    request.md5Hex().ifPresent(md5 -> put.contentMD5(S3Mapping.base64OfHex(md5)));
    if (request.condition().requireAbsent()) {
      put.ifNoneMatch("*");
    }
    request.condition().requireEtag().ifPresent(put::ifMatch);
    KnownLengthBody body =
        new KnownLengthBody(request.contentLength(), request.contentType(), request.body());
    return StoreCalls.classified(
        Backend.S3,
        "put",
        key,
        () ->
            client
                .putObject(put.build(), body)
                .thenApply(
                    response ->
                        new PutResult(
                            DocumentMeta.md5FromEtag(response.eTag()),
                            request.cloudinaryVersion())));
  }

  /** A copy of the object onto itself with replaced metadata, only if its ETag is unchanged. */
  @Override
  public CompletableFuture<Void> recordVersion(
      DocumentKey key, DocumentMeta current, long version) {
    requireNonNull(key, "key");
    requireNonNull(current, "current");
    String md5 =
        current.md5Hex().orElseThrow(() -> new IllegalArgumentException(key + ": no MD5 known"));
    String s3Key = key.s3Key(keyPrefix);
    return StoreCalls.classified(
        Backend.S3,
        "record version",
        key,
        () ->
            client
                .copyObject(
                    b ->
                        b.sourceBucket(bucket)
                            .sourceKey(s3Key)
                            .destinationBucket(bucket)
                            .destinationKey(s3Key)
                            .copySourceIfMatch("\"" + md5 + "\"")
                            .metadataDirective(MetadataDirective.REPLACE)
                            .overrideConfiguration(writeDeadline)
                            .contentType(current.contentType())
                            .metadata(S3Mapping.metadata(current, version)))
                .thenApply(response -> null));
  }

  /**
   * S3 does not say whether a deleted key existed, so a HEAD answers that first (racy by nature).
   */
  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    requireNonNull(key, "key");
    String s3Key = key.s3Key(keyPrefix);
    return StoreCalls.classified(
        Backend.S3,
        "delete",
        key,
        () ->
            headObject(s3Key)
                .handle((meta, failure) -> failure == null ? Boolean.TRUE : existedOrThrow(failure))
                .thenCompose(
                    existed ->
                        client
                            .deleteObject(
                                b ->
                                    b.bucket(bucket)
                                        .key(s3Key)
                                        .overrideConfiguration(writeDeadline))
                            .thenApply(response -> existed)));
  }

  private CompletableFuture<HeadObjectResponse> headObject(String s3Key) {
    return client.headObject(b -> b.bucket(bucket).key(s3Key).overrideConfiguration(writeDeadline));
  }

  private static Boolean existedOrThrow(Throwable failure) {
    StoreException e = StoreException.wrap(Backend.S3, "delete", "", failure);
    if (e.outcome() == Outcome.NOT_FOUND) {
      return Boolean.FALSE;
    }
    throw e;
  }

  @Override
  public void close() {
    try {
      client.close();
    } finally {
      // The SDK closes only providers it made; a default chain made here is closed here.
      if (credentials instanceof SdkAutoCloseable) {
        ((SdkAutoCloseable) credentials).close();
      }
    }
  }
}
