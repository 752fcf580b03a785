package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.S3Settings;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.stores.http.GetCall;
import io.docshift.stores.http.HeadCall;
import io.docshift.stores.http.UpstreamClient;
import io.docshift.stores.http.UpstreamListener;
import io.docshift.stores.http.UpstreamSettings;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.codec.http.HttpMethod;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * {@link DocumentStore} reads of S3 objects on an {@link UpstreamClient} (the caller's event loops,
 * pooled keep-alive connections, reads only on demand) instead of the AWS SDK's client, whose
 * per-request machinery (interceptors, publisher adapters) cost more CPU than the bytes it moves.
 * Requests are addressed like the SDK's ({@link S3Addressing}) and signed by its SigV4 signer
 * ({@link S3RequestSigner}) with the credentials of the {@link S3DocumentStore} given at creation;
 * answers map to the same metadata and the same classified failures ({@link S3Answers}; connect,
 * timeout and broken-body faults by the client), so fallback, auto-revert and metrics cannot tell
 * the two apart. Writes, copies and deletes go to that SDK store.
 *
 * <p>Futures complete on the client's event loop, exceptionally with a classified {@link
 * StoreException}.
 */
public final class NettyS3Store implements DocumentStore {
  private final S3DocumentStore writes;
  private final UpstreamClient client;
  private final S3Addressing addressing;
  private final S3RequestSigner signer;
  private final String keyPrefix;

  /** With a signer of the caller's (tests sign with credentials they rotate). */
  NettyS3Store(
      S3DocumentStore writes,
      S3Settings settings,
      EventLoopGroup loops,
      Duration totalWait,
      S3RequestSigner signer) {
    this.writes = writes;
    this.addressing = S3Addressing.of(settings);
    this.client = UpstreamClient.create(addressing.base(), loops, upstream(settings, totalWait));
    this.signer = signer;
    this.keyPrefix = settings.keyPrefix();
  }

  /**
   * @param writes the SDK store of the same settings: serves everything but reads, lends its
   *     credentials, and is closed by {@link #close()}
   * @param loops the event loops reads run on (not closed here)
   * @param totalWait longest total wait of one read on S3 (headers plus every body read asked for)
   */
  public static NettyS3Store create(
      S3DocumentStore writes, S3Settings settings, EventLoopGroup loops, Duration totalWait) {
    requireNonNull(writes, "writes");
    requireNonNull(settings, "settings");
    requireNonNull(loops, "loops");
    requireNonNull(totalWait, "totalWait");
    S3RequestSigner signer =
        new S3RequestSigner(
            writes.credentials(), settings.region(), S3Addressing.of(settings).base());
    return new NettyS3Store(writes, settings, loops, totalWait, signer);
  }

  /** The SDK path's socket limits, as the upstream client's. */
  static UpstreamSettings upstream(S3Settings settings, Duration totalWait) {
    return UpstreamSettings.of(Backend.S3, settings.connectTimeout(), settings.readTimeout())
        .withTotalWait(totalWait)
        .withTrust(settings.trust());
  }

  /** The read client (for tests: its connections). */
  UpstreamClient client() {
    return client;
  }

  @Override
  public Backend backend() {
    return Backend.S3;
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    requireNonNull(key, "key");
    HeadCall call = new HeadCall(new S3Answers(key));
    send(HttpMethod.HEAD, key, Optional.empty(), call, call.result());
    return call.result();
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    requireNonNull(key, "key");
    requireNonNull(range, "range");
    GetCall call = new GetCall(Backend.S3, key, new S3Answers(key));
    send(HttpMethod.GET, key, range, call, call.result());
    return call.result();
  }

  private void send(
      HttpMethod method,
      DocumentKey key,
      Optional<ByteRange> range,
      UpstreamListener call,
      CompletableFuture<?> result) {
    String s3Key = key.s3Key(keyPrefix);
    SdkHttpMethod signed = HttpMethod.HEAD.equals(method) ? SdkHttpMethod.HEAD : SdkHttpMethod.GET;
    String operation = HttpMethod.HEAD.equals(method) ? "head" : "get";
    try {
      signer
          .sign(signed, addressing.signedPath(s3Key), range)
          .whenComplete(
              (headers, failure) -> {
                if (failure != null) {
                  result.completeExceptionally(
                      StoreException.wrap(Backend.S3, operation, key, failure));
                } else {
                  client.send(method, addressing.path(s3Key), headers, call);
                }
              });
    } catch (RuntimeException e) {
      result.completeExceptionally(StoreException.wrap(Backend.S3, operation, key, e));
    }
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    return writes.put(key, request);
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    return writes.delete(key);
  }

  @Override
  public CompletableFuture<Void> recordVersion(
      DocumentKey key, DocumentMeta current, long version) {
    return writes.recordVersion(key, current, version);
  }

  /** Closes the read client, then the SDK store. */
  @Override
  public void close() {
    try {
      client.close();
    } finally {
      writes.close();
    }
  }
}
