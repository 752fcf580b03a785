package io.docshift.backfill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.core.config.CloudinaryAccount;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A client for the two Admin API calls DocShift needs (Cloudinary contract §8), with HTTP Basic
 * auth and Jackson: listing resources of one {@code resource_type} × {@code type} (the backfill),
 * and one resource's details (the repair worker, which needs an authoritative answer that no CDN
 * cache can give).
 *
 * <p>It lives in the backfill module rather than core because nothing else lists Cloudinary: the
 * proxy passes other Admin API calls through untouched. If {@code verify} comes to need it, it
 * moves to core unchanged. The JDK {@link HttpClient} is shared with nothing and owned by the
 * caller. Thread-safe.
 */
final class AdminApi {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http;
  private final String base;
  private final String cloud;
  private final String authorization;
  private final Duration timeout;

  /**
   * The client DocShift's commands use: HTTP/1.1 on a client of its own that trusts what {@code
   * account} trusts, 10 s to connect, 60 s per call.
   */
  static AdminApi create(CloudinaryAccount account) {
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .sslContext(account.trust().jdk())
            .build();
    return new AdminApi(http, account, Duration.ofSeconds(60));
  }

  AdminApi(HttpClient http, CloudinaryAccount account, Duration timeout) {
    this.http = http;
    String api = account.apiUrl().toString();
    this.base = (api.endsWith("/") ? api.substring(0, api.length() - 1) : api) + "/v1_1/";
    this.cloud = account.cloudName();
    String credentials = account.apiKey() + ":" + account.apiSecret();
    this.authorization =
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
  }

  /**
   * One page of {@code resources/{resourceType}/{type}}.
   *
   * @param prefix public-id prefix, empty for all
   * @param cursor the {@code next_cursor} of the previous page, or null for the first
   * @throws AdminApiException for an error status (throttled, transient or permanent)
   * @throws IOException when the connection fails or times out (transient)
   */
  ResourcePage list(String resourceType, String type, String prefix, String cursor, int maxResults)
      throws AdminApiException, IOException, InterruptedException {
    StringBuilder url = new StringBuilder(base).append(cloud);
    url.append("/resources/").append(resourceType).append('/').append(type);
    url.append("?max_results=").append(maxResults);
    if (!prefix.isEmpty()) {
      url.append("&prefix=").append(encode(prefix));
    }
    if (cursor != null) {
      url.append("&next_cursor=").append(encode(cursor));
    }
    HttpResponse<byte[]> response = get(url.toString());
    RateLimit rateLimit = RateLimit.fromHeaders(response.headers().map());
    if (response.statusCode() != 200) {
      throw new AdminApiException(response.statusCode(), errorMessage(response.body()), rateLimit);
    }
    return parse(response.body(), rateLimit);
  }

  /**
   * {@code resources/{resourceType}/{type}/{publicId}}: what Cloudinary holds right now.
   *
   * @return the resource, or empty when Cloudinary answers 404 (no such asset)
   * @throws AdminApiException for any other error status
   * @throws IOException when the connection fails or times out (transient)
   */
  Optional<ListedResource> details(String resourceType, String type, String publicId)
      throws AdminApiException, IOException, InterruptedException {
    String path = encode(publicId).replace("+", "%20").replace("%2F", "/");
    HttpResponse<byte[]> response =
        get(base + cloud + "/resources/" + resourceType + "/" + type + "/" + path);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      RateLimit rateLimit = RateLimit.fromHeaders(response.headers().map());
      throw new AdminApiException(response.statusCode(), errorMessage(response.body()), rateLimit);
    }
    return Optional.of(resource(JSON.readTree(response.body())));
  }

  private HttpResponse<byte[]> get(String url) throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url))
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .GET()
            .build();
    return http.send(request, HttpResponse.BodyHandlers.ofByteArray());
  }

  private static ResourcePage parse(byte[] body, RateLimit rateLimit) throws IOException {
    JsonNode root = JSON.readTree(body);
    List<ListedResource> resources = new ArrayList<>();
    for (JsonNode r : root.path("resources")) {
      resources.add(resource(r));
    }
    return new ResourcePage(resources, Optional.ofNullable(text(root, "next_cursor")), rateLimit);
  }

  private static ListedResource resource(JsonNode r) {
    return new ListedResource(
        r.path("resource_type").asText(),
        r.path("type").asText(),
        r.path("public_id").asText(),
        text(r, "format"),
        r.path("version").asLong(),
        r.path("bytes").asLong(),
        text(r, "etag"),
        text(r, "access_mode"));
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() || value.asText().isEmpty() ? null : value.asText();
  }

  private static String errorMessage(byte[] body) {
    try {
      String message = JSON.readTree(body).path("error").path("message").asText();
      return message.isEmpty() ? "(no error message)" : message;
    } catch (IOException e) {
      return "(unreadable error body)";
    }
  }

  private static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
