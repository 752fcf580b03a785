package io.docshift.write;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import java.util.Optional;

/** Answers for stores that could not be reached, in Cloudinary's error shape. */
final class Answers {
  private Answers() {}

  /** The primary never answered: 504 on a timeout, else 502, with the classified outcome. */
  static ApiAnswer unreachable(Throwable failure) {
    Outcome outcome = SecondaryS3.outcome(failure);
    Backend backend = outcome.backend().orElse(Backend.CLOUDINARY);
    boolean timeout = outcome == Outcome.CLOUDINARY_TIMEOUT || outcome == Outcome.S3_TIMEOUT;
    String message = backend.tag() + " unavailable: " + WriteContext.cause(failure).getMessage();
    return ApiAnswer.error(timeout ? 504 : 502, message, Optional.of(backend), outcome);
  }
}
