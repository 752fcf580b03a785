package io.docshift.core.metrics;

import java.util.Locale;

/**
 * What a client asked the proxy to do: the {@code operation} metrics tag. An enum so the tag stays
 * bounded whatever clients send.
 */
public enum Operation {
  /** A delivery GET of an original (routed to S3 or Cloudinary). */
  GET,
  /** A delivery HEAD of an original. */
  HEAD,
  /** A delivery request Cloudinary answers as is (transformations, unsupported types). */
  PASS_THROUGH,
  /** A request refused before any store was asked (bad input, bad signature, wrong method). */
  REJECT,
  /** An Upload API {@code upload} (one request; each chunk of {@code upload_large} is one). */
  UPLOAD,
  /** An Upload API {@code destroy}. */
  DESTROY,
  /** Any other {@code /v1_1/...} API call, passed through to Cloudinary unchanged. */
  API_PASS_THROUGH;

  /** Lowercase name for metrics tags, e.g. {@code pass_through}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }
}
