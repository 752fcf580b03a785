package io.docshift.ledger;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.DocumentMeta;
import java.util.Optional;

/**
 * The ledger's view of a document's S3 copy.
 *
 * @param state where the copy stands
 * @param version the Cloudinary version the S3 object was copied from, or null if never copied
 * @param md5 hex MD5 of the S3 object as last recorded (copy or observation), or null
 * @param sha256 hex SHA-256 of the S3 object as last recorded, or null
 */
public record S3Copy(S3State state, Long version, String md5, String sha256) {

  static final S3Copy NONE = new S3Copy(S3State.ABSENT, null, null, null);

  /** Validates that the state is present. */
  public S3Copy {
    requireNonNull(state, "state");
  }

  /**
   * The SHA-256 of the S3 object described by {@code object}: the one in its metadata when it
   * carries one (every write that knew it before the body: dual-writes, spooled copies, renames);
   * else, for a streamed copy (whose SHA-256 was computed on the way, after the put's headers, so
   * only the ledger has it), this record's when the object's MD5 is the one recorded with it. Empty
   * otherwise: an object without a SHA-256 proves nothing by itself.
   */
  public Optional<String> sha256Of(DocumentMeta object) {
    requireNonNull(object, "object");
    return object.sha256Hex().or(() -> recordedFor(object.md5Hex()));
  }

  private Optional<String> recordedFor(Optional<String> objectMd5) {
    boolean same = sha256 != null && objectMd5.isPresent() && objectMd5.get().equalsIgnoreCase(md5);
    return same ? Optional.of(sha256) : Optional.empty();
  }

  S3Copy withState(S3State newState) {
    return new S3Copy(newState, version, md5, sha256);
  }
}
