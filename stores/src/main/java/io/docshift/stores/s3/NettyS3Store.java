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
import io.docshift.stores.http.PublishedBody;
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
import java.util.function.Consumer;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * {@link DocumentStore} reads of S3 objects on an {@link UpstreamClient} (the caller's event loops,
 * pooled keep-alive connections, reads only on demand) instead of the AWS SDK's client, whose
 * per-request machinery (interceptors, publisher adapters) cost more CPU than the bytes it moves.
 * Requests are addressed like the SDK's ({@link S3Addressing}) and signed by its SigV4 signer
 * ({@link S3RequestSigner}) with the credentials of the {@link S3DocumentStore} given at creation,
 * cached and refreshed off the event loops ({@link CachedCredentials}); answers map to the same
 * metadata and the same classified failures ({@link S3Answers}; connect, timeout and broken-body
 * faults by the client), so fallback, auto-revert and metrics cannot tell the two apart. Copies,
 * deletes and listings go to that SDK store, and so do puts unless the store was made {@link
 * #createWithPuts with streamed puts} (the backfill's copier).
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
  private final UpstreamClient puts;

  /** With credentials of the caller's (tests rotate them and move their clock). */
  NettyS3Store(
      S3DocumentStore writes,
      S3Settings settings,
      EventLoopGroup loops,
      Duration totalWait,
      CachedCredentials credentials,
      boolean streamedPuts) {
    this.writes = writes;
    this.addressing = S3Addressing.of(settings);
    this.client = UpstreamClient.create(addressing.base(), loops, upstream(settings, totalWait));
    this.credentials = credentials;
    this.signer = new S3RequestSigner(credentials, settings.region(), addressing.base());
    this.loops = loops;
    this.keyPrefix = settings.keyPrefix();
    this.puts =
        streamedPuts
            ? UpstreamClient.create(addressing.base(), loops, putSettings(settings))
            : null;
  }

  /**
   * @param writes the SDK store of the same settings: serves everything but reads, lends its
   *     credentials, and is closed by {@link #close()}
   * @param loops the event loops reads run on (not closed here)
   * @param totalWait longest total wait of one read on S3 (headers plus every body read asked for)
   */
  public static NettyS3Store create(
      S3DocumentStore writes, S3Settings settings, EventLoopGroup loops, Duration totalWait) {
    return create(writes, settings, loops, totalWait, false);
  }

  /**
   * {@link #create} whose puts go on the same client too, streamed ({@link #put}): the copier's
   * store, where the SDK's per-request work cost most of the CPU a copy took.
   */
  public static NettyS3Store createWithPuts(
      S3DocumentStore writes, S3Settings settings, EventLoopGroup loops, Duration totalWait) {
    return create(writes, settings, loops, totalWait, true);
  }

  private static NettyS3Store create(
      S3DocumentStore writes,
      S3Settings settings,
      EventLoopGroup loops,
      Duration totalWait,
      boolean streamedPuts) {
    requireNonNull(writes, "writes");
    requireNonNull(settings, "settings");
    requireNonNull(loops, "loops");
    requireNonNull(totalWait, "totalWait");
    CachedCredentials credentials = new CachedCredentials(writes.credentials(), Clock.systemUTC());
    return new NettyS3Store(writes, settings, loops, totalWait, credentials, streamedPuts);
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

  /**
   * The put client's: a put is one whole call of at most the SDK path's {@code writeTotalTimeout}
   * (its body's time on the wire counts as waiting for the answer), on connections of its own so
   * uploads never hold the ones reads wait for.
   */
  static UpstreamSettings putSettings(S3Settings settings) {
    return UpstreamSettings.of(Backend.S3, settings.connectTimeout(), settings.writeTotalTimeout())
        .withTotalWait(settings.writeTotalTimeout())
        .withTrust(settings.trust())
        .withMaxConnections(settings.maxConcurrency());
  }

  /** The put client (for tests: its connections); null unless made with streamed puts. */
  UpstreamClient puts() {
    return puts;
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
      whenSigned(
          signing,
          operation,
          key,
          result,
          headers -> client.send(method, addressing.path(s3Key), headers, call));
    } catch (RuntimeException e) {
      result.completeExceptionally(StoreException.wrap(Backend.S3, operation, key, e));
    }
  }

  /**
   * Runs {@code then} with the signed headers, or fails {@code result}. Credentials refreshed on
   * their own thread bring the call back to the caller's loop first, so it uses that loop's pooled
   * connections and its events need no hop.
   */
  private void whenSigned(
      CompletableFuture<HttpHeaders> signing,
      String operation,
      DocumentKey key,
      CompletableFuture<?> result,
      Consumer<HttpHeaders> then) {
    BiConsumer<HttpHeaders, Throwable> done =
        (headers, failure) -> {
          if (failure != null) {
            result.completeExceptionally(StoreException.wrap(Backend.S3, operation, key, failure));
          } else {
            then.accept(headers);
          }
        };
    Executor caller = signing.isDone() ? null : callerLoop();
    if (caller == null) {
      signing.whenComplete(done);
    } else {
      signing.whenCompleteAsync(done, caller);
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

  /**
   * On a store made by {@link #createWithPuts}, one PUT on the Netty client whose body streams from
   * the request's publisher as it arrives ({@link PublishedBody}: read no faster than the S3
   * connection writes), with the headers and metadata the SDK path sends ({@link
   * S3Mapping#putHeaders}) and an unsigned payload: {@code Content-MD5} (and the SHA-256 checksum
   * when known) make S3 itself refuse other bytes ({@code BadDigest}). A body that breaks off or
   * misses its length closes the connection mid-request, so S3 stores nothing. Failures are
   * classified as the SDK path's. Otherwise the SDK store's put.
   */
  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    if (puts == null) {
      return writes.put(key, request);
    }
    requireNonNull(key, "key");
    requireNonNull(request, "request");
    S3PutCall call = new S3PutCall(key, request.cloudinaryVersion());
    String s3Key = key.s3Key(keyPrefix);
    PublishedBody body = new PublishedBody(request.body(), request.contentLength());
    try {
      CompletableFuture<HttpHeaders> signing =
          signer.signPut(addressing.signedPath(s3Key), S3Mapping.putHeaders(request));
      whenSigned(
          signing,
          "put",
          key,
          call.result(),
          headers -> puts.send(HttpMethod.PUT, addressing.path(s3Key), headers, body, call));
      // Unsigned, the put never goes out: its body's source (a download) is still owed a cancel.
      signing.whenComplete(
          (headers, failure) -> {
            if (failure != null) {
              DocumentResponse.discard(request.body());
            }
          });
    } catch (RuntimeException e) {
      DocumentResponse.discard(request.body());
      call.result().completeExceptionally(StoreException.wrap(Backend.S3, "put", key, e));
    }
    return call.result();
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
      if (puts != null) {
        puts.close();
      }
      credentials.close();
    } finally {
      writes.close();
    }
  }
}
