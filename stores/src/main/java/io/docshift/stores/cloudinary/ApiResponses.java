package io.docshift.stores.cloudinary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.PutRequest;
import io.docshift.core.store.PutResult;
import io.docshift.core.store.StoreException;
import io.docshift.stores.http.HeaderValues;
import java.io.IOException;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.UnaryOperator;

/** Reads delivery headers, Upload API JSON and errors (Cloudinary contract §5, §6, §9). */
final class ApiResponses {
  private static final ObjectMapper JSON = new ObjectMapper();

  private ApiResponses() {}

  /** Metadata from delivery response headers; for a 206 the length is the Content-Range total. */
  static DocumentMeta meta(HttpHeaders headers) {
    return meta(name -> headers.firstValue(name).orElse(null));
  }

  /**
   * Metadata from delivery response headers, looked up by name ({@code null} when absent), so the
   * JDK and Netty clients read them alike. Dates use Netty's HTTP date parser (all three RFC 9110
   * formats, the texts seen last remembered: {@link HeaderValues}).
   */
  static DocumentMeta meta(UnaryOperator<String> header) {
    Optional<ContentRange> range = ContentRange.parse(header.apply("Content-Range"));
    OptionalLong length =
        range.isPresent()
            ? OptionalLong.of(range.get().total())
            : HeaderValues.number(header.apply("Content-Length"));
    String contentType = header.apply("Content-Type");
    return new DocumentMeta(
        length,
        contentType == null ? "application/octet-stream" : contentType,
        DocumentMeta.md5FromEtag(header.apply("ETag")),
        Optional.empty(),
        OptionalLong.empty(),
        HeaderValues.date(header.apply("Last-Modified")));
  }

  static Optional<ContentRange> contentRange(HttpHeaders headers) {
    return headers.firstValue("Content-Range").flatMap(ContentRange::parse);
  }

  /** A delivery failure: the reason travels in {@code X-Cld-Error}, not in a body. */
  static StoreException deliveryFailure(
      String operation, DocumentKey key, HttpResponse<?> response) {
    return deliveryFailure(
        operation,
        key,
        response.statusCode(),
        response.headers().firstValue("X-Cld-Error").orElse(null));
  }

  /**
   * A delivery failure with status {@code status} and {@code X-Cld-Error} ({@code null} if none).
   */
  static StoreException deliveryFailure(
      String operation, DocumentKey key, int status, String cldError) {
    return failure(operation, key, status, cldError == null ? "no X-Cld-Error" : cldError);
  }

  /** Parses an upload response; a returned {@code etag} that contradicts the MD5 is a mismatch. */
  static PutResult uploaded(DocumentKey key, PutRequest request, HttpResponse<byte[]> response) {
    JsonNode json = jsonOrFail("put", key, response);
    Optional<String> etag = DocumentMeta.md5FromEtag(json.path("etag").asText(null));
    if (etag.isPresent() && request.md5Hex().isPresent() && !etag.equals(request.md5Hex())) {
      throw new StoreException(
          Backend.CLOUDINARY,
          Outcome.CHECKSUM_MISMATCH,
          "cloudinary put "
              + key
              + ": stored etag "
              + etag.get()
              + " != md5 "
              + request.md5Hex().get(),
          null);
    }
    OptionalLong version =
        json.hasNonNull("version")
            ? OptionalLong.of(json.get("version").asLong())
            : OptionalLong.empty();
    return new PutResult(etag, version);
  }

  /** Parses a destroy response: {@code ok} existed, {@code not found} did not. */
  static boolean destroyed(DocumentKey key, HttpResponse<byte[]> response) {
    String result = jsonOrFail("delete", key, response).path("result").asText("");
    if (result.equals("ok")) {
      return true;
    }
    if (result.equals("not found")) {
      return false;
    }
    throw new StoreException(
        Backend.CLOUDINARY,
        Outcome.CLOUDINARY_5XX,
        "cloudinary delete " + key + ": unexpected result '" + result + "'",
        null);
  }

  private static JsonNode jsonOrFail(
      String operation, DocumentKey key, HttpResponse<byte[]> response) {
    JsonNode json = parse(response.body());
    if (response.statusCode() != 200) {
      String message = json.path("error").path("message").asText("no error message");
      throw failure(operation, key, response.statusCode(), message);
    }
    if (!json.isObject()) {
      throw new StoreException(
          Backend.CLOUDINARY,
          Outcome.CLOUDINARY_5XX,
          "cloudinary " + operation + " " + key + ": HTTP 200 without a JSON object",
          null);
    }
    return json;
  }

  private static JsonNode parse(byte[] body) {
    try {
      return body == null || body.length == 0 ? JSON.missingNode() : JSON.readTree(body);
    } catch (IOException e) {
      return JSON.missingNode();
    }
  }

  private static StoreException failure(
      String operation, DocumentKey key, int status, String reason) {
    Outcome classified = OutcomeClassifier.fromStatus(Backend.CLOUDINARY, status);
    // A redirect or other unexpected 2xx/3xx is still a failure of this call: blame the backend.
    Outcome outcome = classified == Outcome.SUCCESS ? Outcome.CLOUDINARY_5XX : classified;
    return new StoreException(
        Backend.CLOUDINARY,
        outcome,
        "cloudinary "
            + operation
            + " "
            + key
            + ": HTTP "
            + status
            + " ("
            + outcome.tag()
            + "): "
            + reason,
        null);
  }
}
