package io.docshift.core.read;

import static java.util.Objects.requireNonNull;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.store.JdkHttp;
import io.docshift.core.store.StoreCalls;
import io.docshift.core.store.StoreException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import org.reactivestreams.FlowAdapters;

/**
 * Forwards a delivery request Cloudinary must answer itself (a transformation, a delivery type
 * DocShift does not store) to the configured delivery base, unchanged: the same raw path (with its
 * {@code s--SIG--}) and query, and only the request headers that change the answer ({@link
 * #FORWARDED_REQUEST_HEADERS}). The answer streams back with demand (the JDK client reads the
 * socket only as the subscriber asks); only {@link #FORWARDED_RESPONSE_HEADERS} are kept, because
 * hop-by-hop and framing headers belong to each connection.
 *
 * <p>Failures to get a response (connect, timeout before headers) complete the future with a
 * classified {@link StoreException} for {@link Backend#CLOUDINARY}; any HTTP status is a response.
 */
public final class DeliveryPassThrough implements AutoCloseable {
  /** Request headers sent on, lowercase. */
  public static final Set<String> FORWARDED_REQUEST_HEADERS =
      Set.of("range", "if-range", "if-none-match", "if-modified-since", "accept");

  /** Response headers sent back, lowercase. */
  public static final Set<String> FORWARDED_RESPONSE_HEADERS =
      Set.of(
          "content-type",
          "content-length",
          "content-range",
          "content-disposition",
          "etag",
          "last-modified",
          "cache-control",
          "expires",
          "vary",
          "accept-ranges",
          "x-cld-error",
          "x-emulator-transformation");

  private final String base;
  private final Duration responseTimeout;
  private final JdkHttp owned;
  private final HttpClient http;

  private DeliveryPassThrough(URI deliveryBase, Duration connectTimeout, Duration responseTimeout) {
    String text = deliveryBase.toString();
    this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
    this.responseTimeout = responseTimeout;
    this.owned = JdkHttp.open("docshift-passthrough-http", connectTimeout);
    this.http = owned.client();
  }

  /**
   * @param deliveryBase Cloudinary's delivery prefix including the cloud segment when the CDN needs
   *     one, e.g. {@code https://res.cloudinary.com/demo}
   * @param responseTimeout longest wait for response headers (the body is not limited by it)
   */
  public static DeliveryPassThrough create(
      URI deliveryBase, Duration connectTimeout, Duration responseTimeout) {
    requireNonNull(deliveryBase, "deliveryBase");
    requireNonNull(connectTimeout, "connectTimeout");
    requireNonNull(responseTimeout, "responseTimeout");
    return new DeliveryPassThrough(deliveryBase, connectTimeout, responseTimeout);
  }

  /**
   * Forwards one request.
   *
   * @param head HEAD instead of GET
   * @param rawPath the path after the cloud segment, as received (still percent-encoded), starting
   *     with {@code /}
   * @param rawQuery the query as received, or {@code null}
   * @param headers request headers; only {@link #FORWARDED_REQUEST_HEADERS} are sent
   */
  public CompletableFuture<PassThroughResponse> forward(
      boolean head, String rawPath, String rawQuery, Map<String, String> headers) {
    requireNonNull(rawPath, "rawPath");
    requireNonNull(headers, "headers");
    return StoreCalls.classified(
        Backend.CLOUDINARY,
        "pass-through",
        rawPath,
        () ->
            http.sendAsync(
                    request(head, rawPath, rawQuery, headers),
                    HttpResponse.BodyHandlers.ofPublisher())
                .thenApply(DeliveryPassThrough::response));
  }

  private HttpRequest request(
      boolean head, String rawPath, String rawQuery, Map<String, String> headers) {
    if (!rawPath.startsWith("/")) {
      throw clientError("path " + rawPath + " does not start with '/'");
    }
    URI target;
    try {
      target = URI.create(base + rawPath + (rawQuery == null ? "" : "?" + rawQuery));
    } catch (IllegalArgumentException e) {
      throw clientError("not a valid URL path: " + e.getMessage());
    }
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(target)
            .timeout(responseTimeout)
            .method(head ? "HEAD" : "GET", BodyPublishers.noBody());
    headers.forEach(
        (name, value) -> {
          if (FORWARDED_REQUEST_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
            builder.header(name, value);
          }
        });
    return builder.build();
  }

  private static StoreException clientError(String message) {
    return new StoreException(Backend.CLOUDINARY, Outcome.CLIENT_ERROR, message, null);
  }

  private static PassThroughResponse response(
      HttpResponse<Flow.Publisher<List<ByteBuffer>>> response) {
    Map<String, List<String>> kept = new LinkedHashMap<>();
    response
        .headers()
        .map()
        .forEach(
            (name, values) -> {
              String lower = name.toLowerCase(Locale.ROOT);
              if (FORWARDED_RESPONSE_HEADERS.contains(lower)) {
                kept.put(lower, List.copyOf(values));
              }
            });
    return new PassThroughResponse(
        response.statusCode(), kept, FlowAdapters.toPublisher(response.body()));
  }

  /** Stops the client's threads; in-flight calls fail. */
  @Override
  public void close() {
    owned.close();
  }
}
