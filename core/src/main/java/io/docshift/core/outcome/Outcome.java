package io.docshift.core.outcome;

import java.util.Locale;
import java.util.Optional;

/**
 * How one storage operation ended, classified once before it is counted. Only {@link
 * #isBackendFault() backend faults} count towards auto-revert: a client's 4xx, a missing document
 * or a bug in DocShift says nothing about the health of S3 or Cloudinary.
 */
public enum Outcome {
  SUCCESS(null, false),
  /** The document does not exist in the store (404, NoSuchKey, Cloudinary "not found"). */
  NOT_FOUND(null, false),
  /** The request was refused as invalid (4xx other than 404/408/420/429, bad range, bad id). */
  CLIENT_ERROR(null, false),
  /** The store refused a body that did not match its declared MD5/SHA-256 (or returned one). */
  CHECKSUM_MISMATCH(null, false),
  /** DocShift itself failed (bug, misconfiguration, interrupted thread). */
  LOCAL_ERROR(null, false),
  S3_TIMEOUT(Backend.S3, true),
  S3_5XX(Backend.S3, true),
  /** Connection refused, reset or closed, DNS failure, connect timeout. */
  S3_CONNECT(Backend.S3, true),
  /** SlowDown / 503 throttling / 429. */
  S3_THROTTLED(Backend.S3, true),
  /**
   * S3 refused DocShift's own credentials or signature (401, 403, expired token, clock skew): S3
   * cannot serve this instance, which is a fault of the S3 side for fallback and auto-revert.
   */
  S3_AUTH(Backend.S3, true),
  CLOUDINARY_TIMEOUT(Backend.CLOUDINARY, true),
  CLOUDINARY_5XX(Backend.CLOUDINARY, true),
  /** Connection refused, reset or closed, DNS failure, connect timeout. */
  CLOUDINARY_CONNECT(Backend.CLOUDINARY, true),
  /** 420 or 429 rate limiting. */
  CLOUDINARY_THROTTLED(Backend.CLOUDINARY, true);

  private final Backend backend;
  private final boolean backendFault;

  Outcome(Backend backend, boolean backendFault) {
    this.backend = backend;
    this.backendFault = backendFault;
  }

  /** Whether this outcome blames a backend's health: the only kind auto-revert counts. */
  public boolean isBackendFault() {
    return backendFault;
  }

  /** The blamed backend for backend faults, empty otherwise. */
  public Optional<Backend> backend() {
    return Optional.ofNullable(backend);
  }

  /** Lowercase name for metrics tags, e.g. {@code s3_timeout}. */
  public String tag() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code backend}'s timeout. */
  public static Outcome timeout(Backend backend) {
    return backend == Backend.S3 ? S3_TIMEOUT : CLOUDINARY_TIMEOUT;
  }

  static Outcome serverError(Backend backend) {
    return backend == Backend.S3 ? S3_5XX : CLOUDINARY_5XX;
  }

  static Outcome connect(Backend backend) {
    return backend == Backend.S3 ? S3_CONNECT : CLOUDINARY_CONNECT;
  }

  static Outcome throttled(Backend backend) {
    return backend == Backend.S3 ? S3_THROTTLED : CLOUDINARY_THROTTLED;
  }
}
