package io.docshift.write;

import io.docshift.ledger.LedgerKey;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The parameters of an Upload API {@code rename}, read once for the queue keys it holds, the
 * Cloudinary-first rename and the one DocShift answers itself: {@code from_public_id} and {@code
 * to_public_id} (both required, not blank), {@code type} ({@code upload} when absent), {@code
 * to_type} (the same as {@code type} when absent) and {@code overwrite}.
 */
record RenameParams(String from, String to, String type, String toType, boolean overwrite) {

  /** The rename's parameters, or empty when either id is missing or blank. */
  static Optional<RenameParams> of(Map<String, List<String>> params) {
    String from = FormParams.first(params, "from_public_id");
    String to = FormParams.first(params, "to_public_id");
    if (from == null || to == null || from.isBlank() || to.isBlank()) {
      return Optional.empty();
    }
    String type = Optional.ofNullable(FormParams.first(params, "type")).orElse("upload");
    String toType = Optional.ofNullable(FormParams.first(params, "to_type")).orElse(type);
    return Optional.of(
        new RenameParams(from, to, type, toType, FormParams.flag(params, "overwrite")));
  }

  /**
   * {@link #of}, for a rename that goes ahead.
   *
   * @throws BadUpload 400, Cloudinary's message, when either id is missing or blank
   */
  static RenameParams required(Map<String, List<String>> params) {
    return of(params)
        .orElseThrow(
            () -> new BadUpload(400, "Missing required parameter - from_public_id, to_public_id"));
  }

  LedgerKey fromKey(String cloud, String resourceType) {
    return new LedgerKey(cloud, resourceType, type, from);
  }

  LedgerKey toKey(String cloud, String resourceType) {
    return new LedgerKey(cloud, resourceType, toType, to);
  }
}
