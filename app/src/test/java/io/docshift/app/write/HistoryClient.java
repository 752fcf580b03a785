package io.docshift.app.write;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.app.sandbox.SandboxRunner;
import io.docshift.app.write.HistoryOp.Kind;
import io.docshift.app.write.HistoryOp.Outcome;
import io.docshift.core.config.CloudinaryConfig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;

/**
 * One bounded client of the history test: sends one Upload API or Admin API call of a {@link Kind}
 * through DocShift as raw HTTP (so every timeout is the test's) and reduces the answer to an {@link
 * Outcome}. Payloads start with a tag naming the operation, so any stored object tells which write
 * produced it.
 */
final class HistoryClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final int CHUNK = 64 * 1024;

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final CloudinaryConfig account;

  HistoryClient(CloudinaryConfig account) {
    this.account = account;
  }

  /** A unique, tagged payload for operation {@code seq}. */
  static byte[] payload(String run, int seq, int size) {
    byte[] body = Bodies.random(size, (long) run.hashCode() * 1_000_003L + seq);
    byte[] tag = ("HIST " + run + " op" + seq + "\n").getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(tag, 0, body, 0, tag.length);
    return body;
  }

  /** The answer of one call: status and JSON (or the error that stood in for it). */
  record Reply(Outcome outcome, String detail, JsonNode json) {}

  Reply upload(URI node, String id, byte[] body, boolean signed) {
    Map<String, String> params = new TreeMap<>(Map.of("public_id", id));
    SignedForm form;
    if (signed) {
      form = SignedForm.of(params, account.apiKey(), account.apiSecret());
    } else {
      params.put("upload_preset", SandboxRunner.UNSIGNED_PRESET);
      form = SignedForm.unsigned(params);
    }
    form.file(body, "doc.bin");
    return send(post(node, "upload", form).build(), body);
  }

  /**
   * An unsigned upload (so Cloudinary keeps its tag and issues its token in every dual mode) with
   * {@code tags} and {@code return_delete_token}.
   */
  Reply uploadTagged(URI node, String id, byte[] body, String tag) {
    Map<String, String> params =
        new TreeMap<>(
            Map.of(
                "public_id",
                id,
                "tags",
                tag,
                "return_delete_token",
                "true",
                "upload_preset",
                SandboxRunner.UNSIGNED_PRESET));
    SignedForm form = SignedForm.unsigned(params);
    form.file(body, "doc.bin");
    return send(post(node, "upload", form).build(), body);
  }

  /** {@code delete_by_token} (unsigned: the token is the credential). */
  Reply deleteByToken(URI node, String token) {
    SignedForm form = SignedForm.unsigned(new TreeMap<>(Map.of("token", token)));
    URI url = URI.create(node + "/v1_1/" + account.cloudName() + "/delete_by_token");
    return send(
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header("Content-Type", SignedForm.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
            .build(),
        null);
  }

  /** An Admin API delete by tag; OK when its answer names {@code id} deleted. */
  Reply adminDeleteByTag(URI node, String tag, String id) {
    return adminDelete(
        node, "/resources/raw/tags/" + URLEncoder.encode(tag, StandardCharsets.UTF_8), "", id);
  }

  /** A signed upload to {@code /v1_1/{cloud}/{resourceType}/upload} (e.g. {@code auto}). */
  Reply upload(URI node, String resourceType, String id, byte[] body) {
    SignedForm form =
        SignedForm.of(
            new TreeMap<>(Map.of("public_id", id)), account.apiKey(), account.apiSecret());
    form.file(body, "doc.bin");
    return send(post(node, resourceType, "upload", form).build(), body);
  }

  /** {@code upload_large}: signed chunks of one upload session, the last one answering. */
  Reply uploadLarge(URI node, String id, byte[] body, String sessionId) {
    Reply last = null;
    for (int start = 0; start < body.length; start += CHUNK) {
      int end = Math.min(body.length, start + CHUNK);
      SignedForm form =
          SignedForm.of(Map.of("public_id", id), account.apiKey(), account.apiSecret())
              .file(Arrays.copyOfRange(body, start, end), "large.bin");
      HttpRequest request =
          post(node, "upload", form)
              .header("X-Unique-Upload-Id", sessionId)
              .header("Content-Range", "bytes " + start + "-" + (end - 1) + "/" + body.length)
              .build();
      last = send(request, end == body.length ? body : null);
      if (last.outcome() != Outcome.OK) {
        // The whole file was never sent: a refused early chunk leaves nothing to write.
        return end == body.length || last.outcome().indeterminate()
            ? last
            : new Reply(Outcome.REFUSED, "chunk at " + start + ": " + last.detail(), null);
      }
    }
    return last;
  }

  Reply destroy(URI node, String id) {
    SignedForm form = SignedForm.of(Map.of("public_id", id), account.apiKey(), account.apiSecret());
    Reply r = send(post(node, "destroy", form).build(), null);
    if (r.outcome() == Outcome.OK && !"ok".equals(r.json().path("result").asText())) {
      return new Reply(Outcome.NOOP, r.json().toString(), r.json());
    }
    return r;
  }

  Reply rename(URI node, String from, String to) {
    Map<String, String> params =
        Map.of("from_public_id", from, "to_public_id", to, "overwrite", "true");
    SignedForm form = SignedForm.of(params, account.apiKey(), account.apiSecret());
    return send(post(node, "rename", form).build(), null);
  }

  Reply adminDelete(URI node, String id) {
    return adminDelete(
        node, "public_ids%5B%5D=" + URLEncoder.encode(id, StandardCharsets.UTF_8), id);
  }

  /** An Admin API delete by {@code prefix}; OK when its answer names {@code id} deleted. */
  Reply adminDeleteByPrefix(URI node, String prefix, String id) {
    return adminDelete(node, "prefix=" + URLEncoder.encode(prefix, StandardCharsets.UTF_8), id);
  }

  private Reply adminDelete(URI node, String query, String id) {
    return adminDelete(node, "/resources/raw/upload", "?" + query, id);
  }

  private Reply adminDelete(URI node, String path, String query, String id) {
    URI url = URI.create(node + "/v1_1/" + account.cloudName() + path + query);
    String auth = account.apiKey() + ":" + account.apiSecret();
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .timeout(TIMEOUT)
            .header(
                "Authorization",
                "Basic "
                    + Base64.getEncoder().encodeToString(auth.getBytes(StandardCharsets.UTF_8)))
            .DELETE()
            .build();
    Reply r = send(request, null);
    if (r.outcome() == Outcome.OK
        && !"deleted".equals(r.json().path("deleted").path(id).asText())) {
      return new Reply(Outcome.NOOP, r.json().toString(), r.json());
    }
    return r;
  }

  private HttpRequest.Builder post(URI node, String action, SignedForm form) {
    return post(node, "raw", action, form);
  }

  private HttpRequest.Builder post(URI node, String resourceType, String action, SignedForm form) {
    URI url = URI.create(node + "/v1_1/" + account.cloudName() + "/" + resourceType + "/" + action);
    return HttpRequest.newBuilder(url)
        .timeout(TIMEOUT)
        .header("Content-Type", SignedForm.contentType())
        .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()));
  }

  /**
   * Sends and classifies: 200 is OK (for a write of {@code body}, only with the etag of those
   * bytes; an unsigned upload of an existing id is a NOOP), 4xx REFUSED, 5xx or a broken connection
   * UNKNOWN, no answer in time TIMEOUT.
   */
  private Reply send(HttpRequest request, byte[] body) {
    try {
      HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
      String text = new String(r.body(), StandardCharsets.UTF_8);
      if (r.statusCode() >= 500) {
        return new Reply(Outcome.UNKNOWN, r.statusCode() + " " + text, null);
      }
      if (r.statusCode() != 200) {
        return new Reply(Outcome.REFUSED, r.statusCode() + " " + text, null);
      }
      JsonNode json = JSON.readTree(r.body());
      if (json.path("existing").asBoolean(false)) {
        return new Reply(Outcome.NOOP, "existing", json);
      }
      if (body != null && !Bodies.md5(body).equals(json.path("etag").asText())) {
        return new Reply(Outcome.UNKNOWN, "200 with a foreign etag: " + text, json);
      }
      return new Reply(Outcome.OK, "v" + json.path("version").asText(), json);
    } catch (HttpTimeoutException e) {
      return new Reply(Outcome.TIMEOUT, e.toString(), null);
    } catch (java.io.IOException e) {
      return new Reply(Outcome.UNKNOWN, e.toString(), null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Reply(Outcome.TIMEOUT, "interrupted", null);
    }
  }
}
