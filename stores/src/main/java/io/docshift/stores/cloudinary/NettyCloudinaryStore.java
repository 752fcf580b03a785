package io.docshift.stores.cloudinary;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.stores.http.GetCall;
import io.docshift.stores.http.HeadCall;
import io.docshift.stores.http.UpstreamAnswers;
import io.docshift.stores.http.UpstreamClient;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * {@link DocumentStore} reads of Cloudinary originals on an {@link UpstreamClient}: the proxy's own
 * event loops and keep-alive connections, no executor hop. {@code head}/{@code get} ask the same
 * delivery URLs as {@link CloudinaryDocumentStore} ({@link DeliveryUrls}, signed for private and
 * authenticated) and read the same headers ({@link ApiResponses}); the body streams with demand
 * ({@link GetCall}). Writes are not this class's business: {@code put} and {@code delete} go to the
 * {@code writes} store given at creation (the JDK-client store the write path uses).
 *
 * <p>Futures complete on the client's event loop, exceptionally with a classified {@link
 * StoreException}.
 */
public final class NettyCloudinaryStore implements DocumentStore {
  private final DeliveryUrls urls;
  private final UpstreamClient delivery;
  private final DocumentStore writes;

  private NettyCloudinaryStore(
      CloudinaryAccount account, UpstreamClient delivery, DocumentStore writes) {
    this.urls = new DeliveryUrls(account, CloudinarySigner.of(account));
    this.delivery = delivery;
    this.writes = writes;
  }

  /**
   * @param delivery a client for {@code account}'s delivery URL (shared, not closed here)
   * @param writes serves {@code put} and {@code delete}; closed by {@link #close()}
   */
  public static NettyCloudinaryStore create(
      CloudinaryAccount account, UpstreamClient delivery, DocumentStore writes) {
    requireNonNull(account, "account");
    requireNonNull(delivery, "delivery");
    requireNonNull(writes, "writes");
    return new NettyCloudinaryStore(account, delivery, writes);
  }

  @Override
  public Backend backend() {
    return Backend.CLOUDINARY;
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    requireNonNull(key, "key");
    HeadCall call = new HeadCall(new Answers(key));
    delivery.send(HttpMethod.HEAD, urls.originalPath(key), UpstreamClient.newHeaders(), call);
    return call.result();
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    requireNonNull(key, "key");
    requireNonNull(range, "range");
    HttpHeaders headers = UpstreamClient.newHeaders();
    range.ifPresent(r -> headers.set(HttpHeaderNames.RANGE, r.toHeaderValue()));
    GetCall call = new GetCall(Backend.CLOUDINARY, key, new Answers(key));
    delivery.send(HttpMethod.GET, urls.originalPath(key), headers, call);
    return call.result();
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    return writes.put(key, request);
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    return writes.delete(key);
  }

  /** Closes the writes store; the delivery client belongs to whoever created it. */
  @Override
  public void close() {
    writes.close();
  }

  /**
   * Cloudinary's answers to one document's delivery URL: the metadata from the same headers {@link
   * CloudinaryDocumentStore} reads ({@link ApiResponses}), a failure from the status and {@code
   * X-Cld-Error} (the body is dropped).
   */
  private record Answers(DocumentKey key) implements UpstreamAnswers {
    @Override
    public DocumentMeta meta(HttpResponse response, Optional<ContentRange> part) {
      return ApiResponses.meta(response.headers()::get);
    }

    @Override
    public StoreException failure(String operation, HttpResponse response, String errorBody) {
      int status = response.status().code();
      String cldError = response.headers().get("X-Cld-Error");
      if ((status == 401 || status == 403) && !key.type().signatureRequired()) {
        // An upload-type URL goes out unsigned, as the client sent it: Cloudinary refusing it (an
        // access-controlled document) is the client's answer, not a fault of Cloudinary or
        // DocShift.
        return StoreException.refusal(
            Backend.CLOUDINARY,
            status,
            cldError,
            "cloudinary " + operation + " " + key + ": HTTP " + status + " (refused): " + cldError);
      }
      return ApiResponses.deliveryFailure(operation, key, status, cldError);
    }
  }
}
