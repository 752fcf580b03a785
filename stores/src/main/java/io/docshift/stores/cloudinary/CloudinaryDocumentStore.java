package io.docshift.stores.cloudinary;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ByteRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import io.docshift.core.store.JdkHttp;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreCalls;
import io.docshift.core.store.StoreException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandler;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import java.util.function.Function;

/**
 * {@link DocumentStore} over Cloudinary's HTTP APIs, on the JDK {@link HttpClient} (HTTP/1.1).
 *
 * <ul>
 *   <li>{@code head}/{@code get}: the delivery URL of the original; private and authenticated
 *       originals through a signed URL ({@code s--SIG--}). The body streams with demand (the JDK
 *       client reads the socket only as the subscriber asks). Delivery responses carry no version
 *       or SHA-256; the MD5 comes from the {@code ETag} when it is a plain MD5.
 *   <li>{@code put}: a signed multipart {@code upload} (overwrite) that streams the body with its
 *       length; a returned {@code etag} that contradicts the declared MD5 fails with {@code
 *       CHECKSUM_MISMATCH}. Single request, so Cloudinary's 100 MB single-upload cap applies.
 *   <li>{@code delete}: a signed {@code destroy} with {@code invalidate=true}.
 * </ul>
 *
 * <p>The JDK client was chosen over Netty because it already offers reactive body publishers and
 * subscribers with backpressure, an exact {@code Content-Length} for a streamed multipart body
 * ({@code BodyPublishers.concat}) and connection pooling, with no buffer ownership to manage. Time
 * for signatures comes from the injected {@link Clock}. Failures complete futures with a classified
 * {@link StoreException}.
 */
public final class CloudinaryDocumentStore implements DocumentStore {
  private final CloudinaryAccount account;
  private final CloudinarySigner signer;
  private final DeliveryUrls urls;
  private final JdkHttp owned;
  private final HttpClient http;
  private final Clock clock;
  private final Duration responseTimeout;

  private CloudinaryDocumentStore(Builder builder) {
    this.account = builder.account;
    this.signer = CloudinarySigner.of(account);
    this.urls = new DeliveryUrls(account, signer);
    this.clock = builder.clock;
    this.responseTimeout = builder.responseTimeout;
    this.owned = JdkHttp.open("docshift-cloudinary-http", builder.connectTimeout, account.trust());
    this.http = owned.client();
  }

  /** A builder for a store of {@code account}. */
  public static Builder builder(CloudinaryAccount account) {
    return new Builder(account);
  }

  @Override
  public Backend backend() {
    return Backend.CLOUDINARY;
  }

  @Override
  public CompletableFuture<DocumentMeta> head(DocumentKey key) {
    requireNonNull(key, "key");
    HttpRequest request = delivery(key).method("HEAD", BodyPublishers.noBody()).build();
    return StoreCalls.classified(
        Backend.CLOUDINARY,
        "head",
        key,
        () ->
            http.sendAsync(request, BodyHandlers.discarding())
                .thenApply(
                    response -> {
                      if (response.statusCode() != 200) {
                        throw ApiResponses.deliveryFailure("head", key, response);
                      }
                      return ApiResponses.meta(response.headers());
                    }));
  }

  @Override
  public CompletableFuture<DocumentResponse> get(DocumentKey key, Optional<ByteRange> range) {
    requireNonNull(key, "key");
    requireNonNull(range, "range");
    HttpRequest.Builder request = delivery(key).GET();
    range.ifPresent(r -> request.header("Range", r.toHeaderValue()));
    Function<Throwable, Throwable> bodyErrors =
        t -> StoreException.wrap(Backend.CLOUDINARY, "get body", key, t);
    return StoreCalls.classified(
        Backend.CLOUDINARY,
        "get",
        key,
        () ->
            http.sendAsync(request.build(), streamOnSuccess())
                .thenApply(
                    response -> {
                      int status = response.statusCode();
                      if (status != 200 && status != 206) {
                        throw ApiResponses.deliveryFailure("get", key, response);
                      }
                      return new DocumentResponse(
                          ApiResponses.meta(response.headers()),
                          status == 206
                              ? ApiResponses.contentRange(response.headers())
                              : Optional.empty(),
                          new FlatteningPublisher(response.body(), bodyErrors));
                    }));
  }

  /** Streams 200/206 bodies; discards error bodies so the connection can be reused. */
  private static BodyHandler<Flow.Publisher<List<ByteBuffer>>> streamOnSuccess() {
    return info ->
        info.statusCode() == 200 || info.statusCode() == 206
            ? BodySubscribers.ofPublisher()
            : BodySubscribers.replacing(null);
  }

  @Override
  public CompletableFuture<PutResult> put(DocumentKey key, PutRequest request) {
    requireNonNull(key, "key");
    requireNonNull(request, "request");
    if (request.condition().isConditional()) {
      // Cloudinary has no conditional upload; ignoring the condition could overwrite newer data.
      DocumentResponse.discard(request.body());
      return StoreCalls.classified(
          Backend.CLOUDINARY,
          "put",
          key,
          () -> {
            throw new UnsupportedOperationException("conditional put (Cloudinary has none)");
          });
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("public_id", key.publicId());
    params.put("type", key.type().wireName());
    params.put("overwrite", "true");
    params.put("invalidate", "true");
    Multipart form = signedForm(params);
    String filename = key.fileName().substring(key.fileName().lastIndexOf('/') + 1);
    BodyPublisher body =
        form.buildWithFile(
            filename, request.contentType(), request.contentLength(), request.body());
    HttpRequest upload = api(key, "upload", form, body);
    return StoreCalls.classified(
        Backend.CLOUDINARY,
        "put",
        key,
        () ->
            http.sendAsync(upload, BodyHandlers.ofByteArray())
                .thenApply(response -> ApiResponses.uploaded(key, request, response)));
  }

  @Override
  public CompletableFuture<Boolean> delete(DocumentKey key) {
    requireNonNull(key, "key");
    Map<String, String> params = new LinkedHashMap<>();
    params.put("public_id", key.publicId());
    params.put("type", key.type().wireName());
    params.put("invalidate", "true");
    Multipart form = signedForm(params);
    HttpRequest destroy = api(key, "destroy", form, form.build());
    return StoreCalls.classified(
        Backend.CLOUDINARY,
        "delete",
        key,
        () ->
            http.sendAsync(destroy, BodyHandlers.ofByteArray())
                .thenApply(response -> ApiResponses.destroyed(key, response)));
  }

  /**
   * Adds {@code timestamp} (from the clock), signs, then adds {@code api_key} and {@code
   * signature}.
   */
  private Multipart signedForm(Map<String, String> params) {
    params.put("timestamp", Long.toString(clock.instant().getEpochSecond()));
    String signature = signer.signParams(params);
    return new Multipart()
        .fields(params)
        .field("api_key", account.apiKey())
        .field("signature", signature);
  }

  private HttpRequest api(DocumentKey key, String action, Multipart form, BodyPublisher body) {
    URI uri =
        URI.create(
            account.apiPrefix()
                + "/v1_1/"
                + account.cloudName()
                + "/"
                + key.resourceType().wireName()
                + "/"
                + action);
    return HttpRequest.newBuilder(uri)
        .timeout(responseTimeout)
        .header("Content-Type", form.contentType())
        .POST(body)
        .build();
  }

  private HttpRequest.Builder delivery(DocumentKey key) {
    return HttpRequest.newBuilder(urls.original(key)).timeout(responseTimeout);
  }

  /** Stops the client's threads; in-flight calls fail. */
  @Override
  public void close() {
    owned.close();
  }

  /**
   * Builds a {@link CloudinaryDocumentStore}; defaults: system UTC clock, 2 s connect, 30 s
   * response.
   */
  public static final class Builder {
    private final CloudinaryAccount account;
    private Clock clock = Clock.systemUTC();
    private Duration connectTimeout = Duration.ofSeconds(2);
    private Duration responseTimeout = Duration.ofSeconds(30);

    private Builder(CloudinaryAccount account) {
      this.account = requireNonNull(account, "account");
    }

    /** The clock for request timestamps (signatures are valid for an hour from them). */
    public Builder clock(Clock value) {
      this.clock = requireNonNull(value, "clock");
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = positive("connectTimeout", value);
      return this;
    }

    /** Longest wait for response headers (body streaming is not limited by it). */
    public Builder responseTimeout(Duration value) {
      this.responseTimeout = positive("responseTimeout", value);
      return this;
    }

    private static Duration positive(String name, Duration value) {
      requireNonNull(value, name);
      if (value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(
            name + ": " + value + " (expected: a positive duration)");
      }
      return value;
    }

    public CloudinaryDocumentStore build() {
      return new CloudinaryDocumentStore(this);
    }
  }
}
