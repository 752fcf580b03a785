package io.docshift.write;

/**
 * An Upload API request refused before any store was written: the HTTP status and the message the
 * client gets in Cloudinary's error JSON ({@code {"error":{"message":...}}}).
 */
public final class BadUpload extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  /**
   * @param status the HTTP status (one the SDKs map: 400, 401, 403, 404, 413...)
   * @param message what was wrong, in the words Cloudinary would use where it has them
   */
  public BadUpload(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  /** The HTTP status to answer with. */
  public int status() {
    return status;
  }
}
