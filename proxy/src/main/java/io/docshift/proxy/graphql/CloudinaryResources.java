package io.docshift.proxy.graphql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.StoreException;
import io.docshift.ledger.LedgerKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Cloudinary's Admin API {@code GET resources/{rt}/{type}?public_ids[]=...}: what Cloudinary holds
 * for up to 100 named documents in one call. That call is the one Cloudinary rate-limits per hour
 * (and the backfill needs), so callers batch documents into it instead of asking per document.
 */
public final class CloudinaryResources {
  /** Public ids per call: Cloudinary's own limit. */
  static final int MAX_PER_CALL = 100;

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http;
  private final String base;
  private final String authorization;
  private final Duration timeout;

  /** A client on {@code http} (owned by the caller) for {@code account}. */
  public CloudinaryResources(HttpClient http, CloudinaryAccount account, Duration timeout) {
    this.http = http;
    String api = account.apiUrl().toString();
    this.base =
        (api.endsWith("/") ? api.substring(0, api.length() - 1) : api)
            + "/v1_1/"
            + account.cloudName()
            + "/resources/";
    String credentials = account.apiKey() + ":" + account.apiSecret();
    this.authorization =
        "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    this.timeout = timeout;
  }

  /**
   * What Cloudinary holds for {@code keys}; fails with a classified {@link StoreException} when the
   * Admin API refuses (429, 5xx), times out or cannot be reached: one call per resource type × type
   * and per 100 ids. Documents Cloudinary does not hold are absent from the answer.
   *
   * @param onCall told once per Admin API call spent
   */
  CompletableFuture<Map<LedgerKey, CloudinaryResource>> fetch(
      List<LedgerKey> keys, Runnable onCall) {
    Map<String, List<LedgerKey>> groups = new LinkedHashMap<>();
    for (LedgerKey key : keys) {
      groups
          .computeIfAbsent(key.resourceType() + "/" + key.type(), g -> new ArrayList<>())
          .add(key);
    }
    List<CompletableFuture<Map<LedgerKey, CloudinaryResource>>> calls = new ArrayList<>();
    for (List<LedgerKey> group : groups.values()) {
      for (int from = 0; from < group.size(); from += MAX_PER_CALL) {
        List<LedgerKey> chunk = group.subList(from, Math.min(group.size(), from + MAX_PER_CALL));
        onCall.run();
        calls.add(call(chunk));
      }
    }
    return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new))
        .thenApply(
            done -> {
              Map<LedgerKey, CloudinaryResource> all = new HashMap<>();
              calls.forEach(call -> all.putAll(call.join()));
              return all;
            });
  }

  private CompletableFuture<Map<LedgerKey, CloudinaryResource>> call(List<LedgerKey> chunk) {
    LedgerKey first = chunk.get(0);
    StringBuilder url = new StringBuilder(base);
    url.append(first.resourceType()).append('/').append(first.type()).append("?max_results=");
    url.append(chunk.size());
    for (LedgerKey key : chunk) {
      url.append("&public_ids%5B%5D=")
          .append(URLEncoder.encode(key.publicId(), StandardCharsets.UTF_8));
    }
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(url.toString()))
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Accept", "application/json")
            .GET()
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
        .handle(
            (response, failure) -> {
              if (failure != null) {
                // Timeouts, refused connections: classified like every other store failure.
                throw StoreException.wrap(Backend.CLOUDINARY, "resources", first.type(), failure);
              }
              return parse(first, response);
            });
  }

  private static Map<LedgerKey, CloudinaryResource> parse(
      LedgerKey first, HttpResponse<byte[]> response) {
    if (response.statusCode() != 200) {
      throw new StoreException(
          Backend.CLOUDINARY,
          OutcomeClassifier.fromStatus(Backend.CLOUDINARY, response.statusCode()),
          "Cloudinary Admin API answered " + response.statusCode() + " for resources",
          null);
    }
    Map<LedgerKey, CloudinaryResource> found = new HashMap<>();
    try {
      for (JsonNode r : JSON.readTree(response.body()).path("resources")) {
        LedgerKey key =
            new LedgerKey(
                first.cloud(), first.resourceType(), first.type(), r.path("public_id").asText());
        found.put(key, CloudinaryResource.of(r));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable Admin API answer", e);
    }
    return found;
  }
}
