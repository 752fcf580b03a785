package io.docshift.read;

import io.docshift.core.key.DocumentKey;
import io.docshift.core.outcome.Backend;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.DocumentStore;
import java.nio.ByteBuffer;
import java.util.Optional;
import org.reactivestreams.Publisher;

/**
 * What a body S3 serves for a ledger-verified copy is wrapped in, outermost first:
 *
 * <ol>
 *   <li>a full body is hashed as it streams and must match the ledger's digest ({@link
 *       VerifyingBody}); a ranged one is a part and cannot be checked against it;
 *   <li>a body that breaks off after the response started continues from Cloudinary ({@link
 *       FailoverBody}), when S3 said the whole length and the MD5 (its ETag) that a continuation's
 *       must equal. The hash above covers the spliced bytes too.
 * </ol>
 *
 * A mismatch of S3's own bytes marks the copy {@code mismatch} ({@link MismatchListener}); one of a
 * spliced body cannot tell which store's bytes were wrong, so it is reported as a failover {@code
 * mismatch} instead and leaves the row alone. Either way the client's transfer is aborted.
 */
final class S3Bodies {
  private final DocumentStore cloudinary;
  private final FallbackListener failovers;
  private final MismatchListener mismatches;

  S3Bodies(DocumentStore cloudinary, FallbackListener failovers, MismatchListener mismatches) {
    this.cloudinary = cloudinary;
    this.failovers = failovers;
    this.mismatches = mismatches;
  }

  /** {@code served} with its body wrapped when S3 served it and the ledger knows its digest. */
  Served<DocumentResponse> checked(
      DocumentKey key, ExpectedDigest digest, Served<DocumentResponse> served) {
    DocumentResponse response = served.value();
    if (served.backend() != Backend.S3 || !digest.checkable()) {
      return served;
    }
    String what = "s3 read " + key;
    FailoverBody failover = failover(key, response, what);
    Publisher<ByteBuffer> body = failover == null ? response.body() : failover;
    if (response.contentRange().isEmpty()) {
      body =
          new VerifyingBody(
              body,
              digest,
              what,
              observed -> {
                if (failover != null && failover.spliced()) {
                  failover.checksumFailed();
                } else {
                  mismatches.mismatched(key, digest.algorithm(), digest.hex(), observed);
                }
              });
    }
    return new Served<>(
        new DocumentResponse(response.meta(), response.contentRange(), body),
        Backend.S3,
        served.fallbackCause());
  }

  /** The failover body, or null when S3 did not say what a continuation must match. */
  private FailoverBody failover(DocumentKey key, DocumentResponse response, String what) {
    Optional<String> md5 = response.meta().md5Hex();
    Optional<ContentRange> span =
        response.contentRange().isPresent()
            ? response.contentRange()
            : response.meta().length().isPresent() && response.meta().length().getAsLong() > 0
                ? Optional.of(
                    new ContentRange(
                        0,
                        response.meta().length().getAsLong() - 1,
                        response.meta().length().getAsLong()))
                : Optional.empty();
    if (md5.isEmpty() || span.isEmpty()) {
      return null;
    }
    return new FailoverBody(
        response.body(),
        span.get(),
        md5.get(),
        rest -> cloudinary.get(key, Optional.of(rest)),
        (cause, outcome) -> failovers.failedOver(key, cause, outcome),
        what);
  }
}
