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
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.util.concurrent.EventExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * {@link DocumentStore} reads of S3 objects on an {@link UpstreamClient} (the caller's event loops,
 * pooled keep-alive connections, reads only on demand) instead of the AWS SDK's client, whose
 * per-request machinery (interceptors, publisher adapters) cost more CPU than the bytes it moves.
 * Requests are addressed like the SDK's ({@link S3Addressing}) and signed by its SigV4 signer
 * ({@link S3RequestSigner}) with the credentials of the {@link S3DocumentStore} given at creation,
 * cached and refreshed off the event loops ({@link CachedCredentials}); answers map to the same
 * metadata and the same classified failures ({@link S3Answers}; connect, timeout and broken-body
 * faults by the client), so fallback, auto-revert and metrics cannot tell the two apart. Writes,
 * copies and deletes go to that SDK store.
 *
 * <p>Futures complete on the client's event loop, exceptionally with a classified {@link
 * StoreException}.
 */
public final class NettyS3Store implements DocumentStore {
  private final S3DocumentStore writes;
  private final UpstreamClient client;
  private final S3Addressing addressing;
  private final CachedCredentials credentials;
  private final S3RequestSigner signer;
  private final EventLoopGroup loops;
  private final String keyPrefix;

  /** With credentials of the caller's (tests rotate them and move their clock). */
  NettyS3Store(
      S3DocumentStore writes,
      S3Settings settings,
      EventLoopGroup loops,
      Duration totalWait,
      CachedCredentials credentials) {
    this.writes = writes;
    this.addressing = S3Addressing.of(settings);
    this.client = UpstreamClient.create(addressing.base(), loops, upstream(settings, totalWait));
    this.credentials = credentials;
    this.signer = new S3RequestSigner(credentials, settings.region(), addressing.base());
    this.loops = loops;
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
    CachedCredentials credentials = new CachedCredentials(writes.credentials(), Clock.systemUTC());
    return new NettyS3Store(writes, settings, loops, totalWait, credentials);
  }

  /**
   * The SDK path's socket limits, as the upstream client's: its {@code maxConcurrency} caps open
   * connections, and a read waits for one at most the connect timeout (then an S3 timeout, so the
   * read falls back).
   */
  static UpstreamSettings upstream(S3Settings settings, Duration totalWait) {
    return UpstreamSettings.of(Backend.S3, settings.connectTimeout(), settings.readTimeout())
        .withTotalWait(totalWait)
        .withTrust(settings.trust())
        .withMaxConnections(settings.maxConcurrency());
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
      CompletableFuture<HttpHeaders> signing =
          signer.sign(signed, addressing.signedPath(s3Key), range);
      BiConsumer<HttpHeaders, Throwable> then =
          (headers, failure) -> {
            if (failure != null) {
              result.completeExceptionally(
                  StoreException.wrap(Backend.S3, operation, key, failure));
            } else {
              client.send(method, addressing.path(s3Key), headers, call);
            }
          };
      Executor caller = signing.isDone() ? null : callerLoop();
      if (caller == null) {
        signing.whenComplete(then);
      } else {
        // The credentials were refreshed on their own thread: back to the caller's loop, so the
        // read uses that loop's pooled connections and its events need no hop.
        signing.whenCompleteAsync(then, caller);
      }
    } catch (RuntimeException e) {
      result.completeExceptionally(StoreException.wrap(Backend.S3, operation, key, e));
    }
  }

  /** The loop of {@link #loops} the current thread is, or null. */
  private Executor callerLoop() {
    for (EventExecutor loop : loops) {
      if (loop.inEventLoop()) {
        return loop;
      }
    }
    return null;
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

  /** Closes the read client and its credentials' refresher, then the SDK store. */
  @Override
  public void close() {
    try {
      client.close();
      credentials.close();
    } finally {
      writes.close();
    }
  }
}
