package io.docshift.stores.s3;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.ContentRange;
import io.docshift.core.store.DocumentMeta;
import io.docshift.core.store.StoreException;
import io.docshift.stores.http.UpstreamAnswers;
import io.netty.handler.codec.http.HttpResponse;
import java.util.Optional;

/**
 * S3's answers to one object's GET or HEAD, read as the SDK reads them: the metadata from the
 * headers ({@link S3Mapping}), and an error answer (any status but 200/206) as the same classified
 * {@link StoreException} an {@code AwsServiceException} becomes: its status plus the {@code <Code>}
 * of its XML body ({@code NoSuchKey}, {@code SignatureDoesNotMatch}, {@code SlowDown}, {@code
 * ExpiredToken}...) through {@link OutcomeClassifier#fromStatus(Backend, int, String)}. A HEAD's
 * answer has no body; like the SDK's, it is classified by its status alone. S3's error bodies are a
 * few hundred bytes; one longer than {@link #MAX_ERROR_BYTES} is classified by what arrived.
 *
 * @param what names the object in messages
 */
record S3Answers(Object what) implements UpstreamAnswers {
  static final int MAX_ERROR_BYTES = 16 * 1024;

  @Override
  public DocumentMeta meta(HttpResponse response, Optional<ContentRange> part) {
    return S3Mapping.meta(response.headers()::get, part);
  }

  @Override
  public int errorBodyBytes() {
    return MAX_ERROR_BYTES;
  }

  @Override
  public StoreException failure(String operation, HttpResponse response, String errorBody) {
    int status = response.status().code();
    String code = code(errorBody);
    Outcome outcome = OutcomeClassifier.fromStatus(Backend.S3, status, code);
    String message =
        Backend.S3.tag()
            + " "
            + operation
            + " "
            + what
            + ": "
            + outcome.tag()
            + ": HTTP "
            + status
            + (code == null ? "" : " " + code);
    return new StoreException(Backend.S3, outcome, message, null);
  }

  /** The text of the first {@code <Code>} element, or null. */
  static String code(String xml) {
    int start = xml.indexOf("<Code>");
    int end = start < 0 ? -1 : xml.indexOf("</Code>", start);
    return end < 0 ? null : xml.substring(start + "<Code>".length(), end).strip();
  }
}
