package io.docshift.core.outcome;

import static java.util.Objects.requireNonNull;

import io.docshift.core.key.InvalidDocumentKeyException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * Maps HTTP statuses and exceptions from either backend to one {@link Outcome}. Rules, in order: an
 * exception that is already {@link ClassifiedException classified} keeps its outcome; a registered
 * {@link FailureRecognizer} (the S3 store's goes by the AWS SDK's status and error code) names the
 * outcome of a library's own exceptions; connect failures (refused, unreachable, unknown host,
 * closed or reset connection, connect timeout), timeouts and other {@link IOException}s anywhere in
 * the cause chain blame the backend; an {@link InvalidDocumentKeyException} is a client error;
 * anything else is a {@link Outcome#LOCAL_ERROR}.
 *
 * <p>401 and 403 from a backend mean DocShift's own credentials or signing are wrong (expired keys,
 * a rotated secret, clock skew), never the client's. From S3 they are {@link Outcome#S3_AUTH}, a
 * backend fault: S3 cannot serve this instance, so reads fall back to Cloudinary and auto-revert
 * counts them (an S3 that refuses every call must trip it like one that times out). From Cloudinary
 * they stay {@link Outcome#LOCAL_ERROR}.
 */
public final class OutcomeClassifier {
  private static final Set<String> THROTTLING_CODES =
      Set.of("SlowDown", "Throttling", "ThrottlingException", "RequestLimitExceeded");
  private static final Set<String> CHECKSUM_CODES =
      Set.of("BadDigest", "InvalidDigest", "XAmzContentSHA256Mismatch", "InvalidChecksum");

  /** S3 codes for rejected credentials that S3 may send with a status other than 401/403. */
  private static final Set<String> S3_AUTH_CODES =
      Set.of(
          "ExpiredToken",
          "InvalidToken",
          "TokenRefreshRequired",
          "InvalidAccessKeyId",
          "SignatureDoesNotMatch",
          "RequestTimeTooSkewed",
          "AuthorizationHeaderMalformed");

  private static final int MAX_CAUSES = 16;

  /** The recognizers on the class path, loaded once. */
  private static final List<FailureRecognizer> RECOGNIZERS =
      ServiceLoader.load(FailureRecognizer.class, OutcomeClassifier.class.getClassLoader()).stream()
          .map(ServiceLoader.Provider::get)
          .toList();

  private OutcomeClassifier() {}

  /** Classifies an HTTP status from {@code backend}. */
  public static Outcome fromStatus(Backend backend, int status) {
    return fromStatus(backend, status, null);
  }

  /**
   * Classifies an HTTP status plus an S3-style error code ({@code NoSuchKey}, {@code SlowDown},
   * {@code BadDigest}, ...); {@code errorCode} may be {@code null}.
   */
  public static Outcome fromStatus(Backend backend, int status, String errorCode) {
    requireNonNull(backend, "backend");
    if (errorCode != null && THROTTLING_CODES.contains(errorCode)) {
      return Outcome.throttled(backend);
    }
    if (errorCode != null && CHECKSUM_CODES.contains(errorCode)) {
      return Outcome.CHECKSUM_MISMATCH;
    }
    if (backend == Backend.S3 && errorCode != null && S3_AUTH_CODES.contains(errorCode)) {
      return Outcome.S3_AUTH;
    }
    if ("RequestTimeout".equals(errorCode)) {
      return Outcome.timeout(backend);
    }
    if (status >= 200 && status < 400) {
      return Outcome.SUCCESS;
    }
    switch (status) {
      case 404:
      case 410:
        return Outcome.NOT_FOUND;
      case 401:
      case 403:
        return backend == Backend.S3 ? Outcome.S3_AUTH : Outcome.LOCAL_ERROR;
      case 408:
      case 504:
        return Outcome.timeout(backend);
      case 420:
      case 429:
        return Outcome.throttled(backend);
      default:
        return status >= 400 && status < 500 ? Outcome.CLIENT_ERROR : Outcome.serverError(backend);
    }
  }

  /**
   * Classifies a status Cloudinary gave a request DocShift relayed as is (delivery or API
   * pass-through, uploads with Cloudinary primary): Cloudinary refusing the client's credentials
   * (401, 403) is the client's error and says nothing about Cloudinary's health.
   */
  public static Outcome fromRelayedCloudinaryStatus(int status) {
    if (status == 401 || status == 403) {
      return Outcome.CLIENT_ERROR;
    }
    return fromStatus(Backend.CLOUDINARY, status);
  }

  /** Classifies a failure of a call to {@code backend}, unwrapping future wrappers. */
  public static Outcome classify(Backend backend, Throwable failure) {
    requireNonNull(backend, "backend");
    requireNonNull(failure, "failure");
    Throwable t = unwrap(failure);
    if (t instanceof ClassifiedException) {
      return ((ClassifiedException) t).outcome();
    }
    for (FailureRecognizer recognizer : RECOGNIZERS) {
      Outcome known = recognizer.recognize(backend, t);
      if (known != null) {
        return known;
      }
    }
    if (t instanceof InvalidDocumentKeyException) {
      return Outcome.CLIENT_ERROR;
    }
    Outcome network = fromCauseChain(backend, t);
    return network != null ? network : Outcome.LOCAL_ERROR;
  }

  private static Throwable unwrap(Throwable failure) {
    Throwable t = failure;
    while ((t instanceof CompletionException || t instanceof ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  private static Outcome fromCauseChain(Backend backend, Throwable failure) {
    Throwable t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      Outcome outcome = fromOne(backend, t);
      if (outcome != null) {
        return outcome;
      }
    }
    // Any other I/O failure (connection reset, premature EOF) means the connection broke. Callers
    // that feed a body from their own client must classify that client's aborts themselves.
    t = failure;
    for (int depth = 0; t != null && depth < MAX_CAUSES; depth++, t = t.getCause()) {
      if (t instanceof IOException) {
        return Outcome.connect(backend);
      }
    }
    return null;
  }

  private static Outcome fromOne(Backend backend, Throwable t) {
    if (t instanceof HttpConnectTimeoutException
        || t instanceof ConnectException
        || t instanceof NoRouteToHostException
        || t instanceof UnknownHostException
        || t instanceof ClosedChannelException) {
      return Outcome.connect(backend);
    }
    if (t instanceof HttpTimeoutException
        || t instanceof SocketTimeoutException
        || t instanceof TimeoutException
        || isNettyTimeout(t)) {
      return Outcome.timeout(backend);
    }
    for (FailureRecognizer recognizer : RECOGNIZERS) {
      Outcome known = recognizer.recognizeCause(backend, t);
      if (known != null) {
        return known;
      }
    }
    return null;
  }

  /** Netty's Read/WriteTimeoutException; matched by name to keep netty-handler off the API. */
  private static boolean isNettyTimeout(Throwable t) {
    String name = t.getClass().getName();
    return name.startsWith("io.netty.") && name.endsWith("TimeoutException");
  }
}
