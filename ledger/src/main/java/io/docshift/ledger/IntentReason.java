package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The reason text of a Cloudinary-primary dual-write's {@link RepairOperation#PUT} intent, which
 * also names the format of the S3 object the write is about (its key is the ledger key plus that
 * format for images and videos). A dual-write to a new document may put S3 before Cloudinary
 * answers; if the writer dies then and Cloudinary holds nothing, the repair tombstones a row the
 * ledger never had, whose asset has no format: without this hint it could not name the S3 object to
 * remove.
 *
 * <p>Also the reason of a Cloudinary-primary rename's {@link RepairOperation#PUT} intent on the new
 * key, committed before the rename is sent, which dates it ({@link #renamed}): if the writer dies
 * after Cloudinary renamed and before the ledger followed, the new key's row may be a tombstone
 * older than the rename, and only this date tells the repair that Cloudinary's asset under it came
 * after the tombstone. (An outbox row's {@code created_at} is its first intent's, so it cannot.)
 *
 * <p>A hint survives only in the intent's own reason: a later {@link RepairOutbox#fail} or another
 * writer's intent replaces it, and the repair then knows what the row knows.
 */
public final class IntentReason {
  private static final String IN_FLIGHT = "dual-write in flight";
  private static final String FORMAT = " (S3 object format ";
  private static final Pattern FORMAT_TEXT = Pattern.compile("[A-Za-z0-9]{1,16}");
  private static final String RENAME = "rename in flight since ";

  private IntentReason() {}

  /** The reason of a dual-write's intent for the S3 object of {@code format} (empty: none). */
  public static String dualWrite(Optional<String> format) {
    requireNonNull(format, "format");
    return format
        .filter(f -> FORMAT_TEXT.matcher(f).matches())
        .map(f -> IN_FLIGHT + FORMAT + f + ")")
        .orElse(IN_FLIGHT);
  }

  /** The S3 object's format a {@link #dualWrite} reason names, empty for any other text. */
  public static Optional<String> format(String reason) {
    requireNonNull(reason, "reason");
    String prefix = IN_FLIGHT + FORMAT;
    if (!reason.startsWith(prefix) || !reason.endsWith(")")) {
      return Optional.empty();
    }
    String format = reason.substring(prefix.length(), reason.length() - 1);
    return FORMAT_TEXT.matcher(format).matches() ? Optional.of(format) : Optional.empty();
  }

  /** The reason of a rename's intent on its new key, committed at {@code at}. */
  public static String renamed(Instant at) {
    requireNonNull(at, "at");
    return RENAME + at;
  }

  /** When the rename a {@link #renamed} reason dates was committed; empty for any other text. */
  public static Optional<Instant> renamedAt(String reason) {
    requireNonNull(reason, "reason");
    if (!reason.startsWith(RENAME)) {
      return Optional.empty();
    }
    try {
      return Optional.of(Instant.parse(reason.substring(RENAME.length())));
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
