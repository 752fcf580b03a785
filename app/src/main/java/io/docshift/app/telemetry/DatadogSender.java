package io.docshift.app.telemetry;

import io.micrometer.core.ipc.http.HttpSender;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sends the Datadog registry's requests with the keys in headers, not in the URL. Micrometer puts
 * {@code api_key} (and {@code application_key}) in the query string, where any exception, proxy log
 * or access log that prints the URL would expose it; this sender moves them to Datadog's {@code
 * DD-API-KEY} and {@code DD-APPLICATION-KEY} headers and sends the URL without them.
 */
final class DatadogSender implements HttpSender {
  static final String API_KEY_HEADER = "DD-API-KEY";
  static final String APPLICATION_KEY_HEADER = "DD-APPLICATION-KEY";

  private static final Map<String, String> KEY_PARAMETERS =
      Map.of("api_key", API_KEY_HEADER, "application_key", APPLICATION_KEY_HEADER);

  private final HttpClient client;
  private final Duration timeout;

  DatadogSender(Duration timeout) {
    this.timeout = timeout;
    this.client = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public Response send(Request request) throws Exception {
    Map<String, String> headers = new LinkedHashMap<>(request.getRequestHeaders());
    URI uri = withoutKeys(request.getUrl().toURI(), headers);
    HttpRequest.Builder http =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .method(
                request.getMethod().name(),
                HttpRequest.BodyPublishers.ofByteArray(request.getEntity()));
    headers.forEach(http::header);
    HttpResponse<String> response = client.send(http.build(), HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  /** {@code uri} without key parameters; each key found goes to its header in {@code headers}. */
  static URI withoutKeys(URI uri, Map<String, String> headers) {
    String query = uri.getRawQuery();
    if (query == null) {
      return uri;
    }
    StringBuilder kept = new StringBuilder();
    for (String parameter : query.split("&")) {
      int equals = parameter.indexOf('=');
      String name = equals < 0 ? parameter : parameter.substring(0, equals);
      String header = KEY_PARAMETERS.get(name);
      if (header != null) {
        headers.put(header, equals < 0 ? "" : parameter.substring(equals + 1));
      } else {
        kept.append(kept.length() == 0 ? "" : "&").append(parameter);
      }
    }
    String base = uri.toString();
    base = base.substring(0, base.indexOf('?'));
    return URI.create(kept.length() == 0 ? base : base + "?" + kept);
  }
}
