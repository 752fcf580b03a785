package io.docshift.core.outcome;

/**
 * Recognises failures of one client library that {@link OutcomeClassifier} cannot know without
 * depending on it (the AWS SDK's service errors and timeouts, for one). Implementations are found
 * with {@link java.util.ServiceLoader} when {@code OutcomeClassifier} is first used, so the module
 * that owns the library registers its recognizer in {@code META-INF/services} and {@code core}
 * stays free of it.
 *
 * <p>Both methods answer {@code null} for a failure they do not know, and must not throw.
 */
public interface FailureRecognizer {
  /**
   * The outcome of {@code failure} as the failure itself (future wrappers already removed), checked
   * before any cause is looked at; {@code null} if unknown.
   */
  Outcome recognize(Backend backend, Throwable failure);

  /**
   * The outcome of {@code cause} met while walking a failure's cause chain, checked at each link
   * together with the JDK's network and timeout exceptions; {@code null} if unknown.
   */
  Outcome recognizeCause(Backend backend, Throwable cause);
}
