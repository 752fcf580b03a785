package io.docshift.write;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.JdkHttp;
import io.docshift.core.store.StoreCalls;
import io.docshift.core.store.StoreException;
import io.docshift.core.store.StoreTrust;
import io.docshift.stores.http.HopByHop;
import java.io.FileNotFoundException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Cloudinary's {@code /v1_1/...} API, reached with the client's own request: the spooled body and
 * the end-to-end headers go on byte for byte, so Cloudinary verifies the client's signature and
 * sees the same {@code upload_large} chunk headers. The calls the write path answers itself
 * (uploads, destroys, deletes, renames) get small JSON answers and are read whole; every other call
 * is relayed by the proxy on its own event loops, not through this client.
 *
 * <p>Failing to get an answer (connect, timeout before headers) completes the future with a
 * classified {@link StoreException} for {@link Backend#CLOUDINARY}; any HTTP status is an answer.
 */
public final class CloudinaryApi implements AutoCloseable {
  /** Sends a 100 MB upload and reads its answer at a little over 330 kB/s. */
  static final Duration DEFAULT_TOTAL_TIMEOUT = Duration.ofMinutes(5);

  private final String apiPrefix;
  private final Duration responseTimeout;
  private final Duration totalTimeout;
  private final JdkHttp owned;
  private final HttpClient http;

  /**
   * @param apiUrl Cloudinary's API prefix, e.g. {@code https://api.cloudinary.com}
   * @param responseTimeout longest wait for response headers (an upload's body is sent first)
   */
  public CloudinaryApi(URI apiUrl, Duration connectTimeout, Duration responseTimeout) {
    this(apiUrl, connectTimeout, responseTimeout, DEFAULT_TOTAL_TIMEOUT);
  }

  /**
   * @param totalTimeout longest whole call of those read whole (upload, destroy, deletes, renames):
   *     sending the body and reading the answer; a Cloudinary that trickles is cut there
   */
  public CloudinaryApi(
      URI apiUrl, Duration connectTimeout, Duration responseTimeout, Duration totalTimeout) {
    this(apiUrl, connectTimeout, responseTimeout, totalTimeout, StoreTrust.system());
  }

  /**
   * @param trust the CAs the API's TLS certificate must chain to
   */
  public CloudinaryApi(
      URI apiUrl,
      Duration connectTimeout,
      Duration responseTimeout,
      Duration totalTimeout,
      StoreTrust trust) {
    String text = requireNonNull(apiUrl, "apiUrl").toString();
    this.apiPrefix = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.responseTimeout = requireNonNull(responseTimeout, "responseTimeout");
    this.totalTimeout = requireNonNull(totalTimeout, "totalTimeout");
    this.owned = JdkHttp.open("docshift-cloudinary-api", connectTimeout, trust);
    this.http = owned.client();
  }

  /** Cloudinary's answer read whole: status, end-to-end headers and the JSON body. */
  public record Reply(int status, Map<String, List<String>> headers, byte[] body) {}

  /** POSTs a spooled Upload API body ({@code upload}, {@code destroy}) and reads the answer. */
  CompletableFuture<Reply> post(String rawPath, Path body, Map<String, String> headers) {
    HttpRequest request = request("POST", rawPath, Optional.of(body), headers);
    return send(request, rawPath);
  }

  /**
   * POSTs an {@code upload} whose body is still arriving ({@link GrowingBody}) and reads the
   * answer. Until {@code bodyEnded} completes the body's pace is the client's (bounded by the
   * proxy's read deadline, whose end cuts the body), so no timeout runs; from then the call gets
   * the total timeout, as a call sent after its body would. A body cut short fails the call
   * (connection closed mid-request: Cloudinary stores nothing).
   */
  CompletableFuture<Reply> relay(
      String rawPath,
      GrowingBody body,
      Map<String, String> headers,
      CompletableFuture<?> bodyEnded) {
    HttpRequest request =
        request("POST", rawPath, BodyPublishers.fromPublisher(body, body.length()), null, headers);
    return StoreCalls.classified(
        Backend.CLOUDINARY,
        "api",
        rawPath,
        () -> {
          CompletableFuture<HttpResponse<byte[]>> call =
              http.sendAsync(request, BodyHandlers.ofByteArray());
          return bodyEnded
              .handle((x, t) -> call)
              .thenCompose(c -> StoreCalls.within(c, totalTimeout))
              .thenApply(r -> new Reply(r.statusCode(), kept(r), r.body()));
        });
  }

  /**
   * Sends the client's call as received (any method; {@code rawPathAndQuery} from {@code /v1_1/})
   * and reads the answer whole: for the small JSON answers of deletes and renames.
   */
  CompletableFuture<Reply> exchange(
      String method, String rawPathAndQuery, Optional<Path> body, Map<String, String> headers) {
    HttpRequest request = request(method, rawPathAndQuery, body, headers);
    return send(request, rawPathAndQuery);
  }

  private HttpRequest request(
      String method, String rawPathAndQuery, Optional<Path> body, Map<String, String> headers) {
    HttpRequest.BodyPublisher publisher;
    try {
      publisher = body.isPresent() ? BodyPublishers.ofFile(body.get()) : BodyPublishers.noBody();
    } catch (FileNotFoundException e) {
      throw new StoreException(Backend.CLOUDINARY, Outcome.LOCAL_ERROR, "spool file gone", e);
    }
    return request(method, rawPathAndQuery, publisher, responseTimeout, headers);
  }

  /** A request; {@code timeout} (for the response's headers) null for none. */
  private HttpRequest request(
      String method,
      String rawPathAndQuery,
      HttpRequest.BodyPublisher publisher,
      Duration timeout,
      Map<String, String> headers) {
    URI target;
    try {
      target = URI.create(apiPrefix + rawPathAndQuery);
    } catch (IllegalArgumentException e) {
      throw new StoreException(
          Backend.CLOUDINARY, Outcome.CLIENT_ERROR, "not a valid URL: " + e.getMessage(), null);
    }
    HttpRequest.Builder builder = HttpRequest.newBuilder(target).method(method, publisher);
    if (timeout != null) {
      builder.timeout(timeout);
    }
    headers.forEach(
        (name, value) -> {
          if (!HopByHop.request(name)) {
            builder.header(name, value);
          }
        });
    return builder.build();
  }

  private CompletableFuture<Reply> send(HttpRequest request, String rawPath) {
    return StoreCalls.classified(
        Backend.CLOUDINARY,
        "api",
        rawPath,
        () ->
            StoreCalls.within(http.sendAsync(request, BodyHandlers.ofByteArray()), totalTimeout)
                .thenApply(r -> new Reply(r.statusCode(), kept(r), r.body())));
  }

  private static Map<String, List<String>> kept(HttpResponse<?> response) {
    Map<String, List<String>> kept = new LinkedHashMap<>();
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (!HopByHop.response(lower)) {
                kept.put(lower, List.copyOf(values));
              }
            });
    return kept;
  }

  /** Stops the client's threads; in-flight calls fail. */
  @Override
  public void close() {
    owned.close();
  }
}
