package io.docshift.write;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The proxy's answer to one Upload API call: Cloudinary-shaped JSON, plus how it is counted.
 *
 * @param status the HTTP status
 * @param headers end-to-end response headers (lowercase names); {@code content-type} is set
 * @param body the JSON body
 * @param backend the primary store that decided the answer, empty when none was asked
 * @param outcome the classified outcome for metrics
 */
public record ApiAnswer(
    int status,
    Map<String, List<String>> headers,
    byte[] body,
    Optional<Backend> backend,
    Outcome outcome) {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final Map<String, List<String>> JSON_HEADERS =
      Map.of("content-type", List.of("application/json; charset=utf-8"));

  /** Validates that no component is null. */
  public ApiAnswer {
    headers = Map.copyOf(requireNonNull(headers, "headers"));
    requireNonNull(body, "body");
    requireNonNull(backend, "backend");
    requireNonNull(outcome, "outcome");
  }

  /** A JSON answer DocShift builds itself. */
  static ApiAnswer json(int status, Object value, Optional<Backend> backend, Outcome outcome) {
    try {
      return new ApiAnswer(status, JSON_HEADERS, JSON.writeValueAsBytes(value), backend, outcome);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("JSON of a plain map cannot fail", e);
    }
  }

  /** Cloudinary's error shape, {@code {"error":{"message":...}}}. */
  static ApiAnswer error(int status, String message, Optional<Backend> backend, Outcome outcome) {
    return json(status, Map.of("error", Map.of("message", message)), backend, outcome);
  }

  /** A refusal of the client's request in Cloudinary's error shape; nothing was written. */
  public static ApiAnswer error(int status, String message) {
    return error(status, message, Optional.empty(), Outcome.CLIENT_ERROR);
  }

  /** DocShift itself failed (500); nothing was acknowledged. */
  public static ApiAnswer local(String message) {
    return error(
        500, "Internal error in DocShift: " + message, Optional.empty(), Outcome.LOCAL_ERROR);
  }

  /** A refusal of the client's input: nothing was written. */
  static ApiAnswer refused(BadUpload e) {
    return error(e.status(), e.getMessage(), Optional.empty(), Outcome.CLIENT_ERROR);
  }

  /** Cloudinary's own answer, relayed as it came. */
  static ApiAnswer relayed(CloudinaryApi.Reply reply) {
    Outcome outcome = OutcomeClassifier.fromRelayedCloudinaryStatus(reply.status());
    return new ApiAnswer(
        reply.status(), reply.headers(), reply.body(), Optional.of(Backend.CLOUDINARY), outcome);
  }
}
