package io.docshift.stores.s3;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.core.outcome.OutcomeClassifier;
import io.docshift.core.store.StoreException;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * An S3 error answer (any status but 200/206) read into the same classified {@link StoreException}
 * the SDK path produces: its status plus the {@code <Code>} of its XML body ({@code NoSuchKey},
 * {@code SignatureDoesNotMatch}, {@code SlowDown}, {@code ExpiredToken}...) go through {@link
 * OutcomeClassifier#fromStatus(Backend, int, String)}, exactly as an {@code AwsServiceException}'s
 * do. A HEAD's answer has no body; like the SDK, it is classified by its status alone. Bodies are
 * read up to {@link #MAX_BYTES} (S3's are a few hundred); a longer one is classified by status.
 */
final class S3ErrorAnswer {
  static final int MAX_BYTES = 16 * 1024;

  private final String operation;
  private final Object what;
  private final int status;
  private final StringBuilder body = new StringBuilder();

  S3ErrorAnswer(String operation, Object what, int status) {
    this.operation = operation;
    this.what = what;
    this.status = status;
  }

  /** Adds a piece of the body (released here); false once it is longer than {@link #MAX_BYTES}. */
  boolean append(ByteBuf content) {
    try {
      if (body.length() + content.readableBytes() > MAX_BYTES) {
        return false;
      }
      body.append(content.toString(StandardCharsets.UTF_8));
      return true;
    } finally {
      content.release();
    }
  }

  /** The classified failure for the status and the body read so far. */
  StoreException failure() {
    String code = code(body);
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
  static String code(CharSequence xml) {
    String text = xml.toString();
    int start = text.indexOf("<Code>");
    int end = start < 0 ? -1 : text.indexOf("</Code>", start);
    return end < 0 ? null : text.substring(start + "<Code>".length(), end).strip();
  }
}
