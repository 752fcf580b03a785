package io.docshift.write;

import static java.util.Objects.requireNonNull;

import java.util.concurrent.CompletableFuture;

/**
 * One {@code upload} whose Cloudinary call started while its body still arrives ({@link
 * WriteService#relay}): the proxy tells it how far the spool has grown, then either that the body
 * ended ({@link #ended}, which gives the answer) or that it never will ({@link #abandoned}: the
 * client went away, was too slow, or was refused mid-body). Either way the call's spool directory
 * is removed once its work is done ({@link #done}), not before.
 */
public final class RelayedUpload {
  private final GrowingBody body;
  private final CompletableFuture<UploadCall> whole = new CompletableFuture<>();
  private CompletableFuture<ApiAnswer> answer;

  RelayedUpload(GrowingBody body) {
    this.body = body;
  }

  /** The spool now holds the body's first {@code bytes}. */
  public void grown(long bytes) {
    body.grown(bytes);
  }

  /**
   * The body is whole and spooled as {@code call} (with the file part's digests): the answer, once
   * the whole form was checked again and both stores had their say.
   */
  public CompletableFuture<ApiAnswer> ended(UploadCall call) {
    whole.complete(requireNonNull(call, "call"));
    return answer;
  }

  /**
   * The body will not end: Cloudinary's request is cut before its last byte (so it stores nothing)
   * and the repair intent settled; the answer, if any, goes nowhere.
   */
  public void abandoned() {
    BadUpload gone = new BadUpload(400, "The request body ended before its Content-Length");
    body.cut(gone);
    whole.completeExceptionally(gone);
  }

  /** Completes once the upload's work is done and its spool directory removed. */
  public CompletableFuture<?> done() {
    return answer.handle((a, t) -> null);
  }

  GrowingBody body() {
    return body;
  }

  /** The whole body's call, or its abandonment. */
  CompletableFuture<UploadCall> whole() {
    return whole;
  }

  RelayedUpload answering(CompletableFuture<ApiAnswer> flow) {
    this.answer = flow;
    return this;
  }
}
