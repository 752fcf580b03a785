package io.docshift.proxy.api;

import io.docshift.core.outcome.Outcome;
import io.docshift.write.ApiAnswer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Cloudinary-shaped answers the API gives at its bounds, before any store is asked. */
final class ApiRefusals {
  private ApiRefusals() {}

  /** 503 when every upload slot is taken: the client may retry in a second. */
  static ApiAnswer busy() {
    return retryLater(
        ApiAnswer.error(503, "DocShift is busy with other uploads; retry shortly"),
        Outcome.LOCAL_ERROR);
  }

  /** Cloudinary's answer to a body over the limit (Cloudinary contract §6). */
  static ApiAnswer tooLarge(long bytes, long maxBodyBytes) {
    return ApiAnswer.error(
        413, "File size too large. Got " + bytes + ". Maximum is " + maxBodyBytes + ".");
  }

  /** 408 for a body that fell behind the byte-rate floor; the client is at fault. */
  static ApiAnswer tooSlow() {
    return ApiAnswer.error(408, "Request body arrived too slowly");
  }

  /** 507 when the spool disk would be left under its reserve; nothing was written to a store. */
  static ApiAnswer insufficientStorage() {
    return retryLater(
        ApiAnswer.error(507, "DocShift is short of spool space; retry later"), Outcome.LOCAL_ERROR);
  }

  private static ApiAnswer retryLater(ApiAnswer a, Outcome outcome) {
    Map<String, List<String>> headers = new HashMap<>(a.headers());
    headers.put("retry-after", List.of("1"));
    return new ApiAnswer(a.status(), headers, a.body(), Optional.empty(), outcome);
  }
}
