package io.docshift.core.outcome;

/**
 * An exception that already knows its {@link Outcome}; {@link OutcomeClassifier} returns it as is
 * instead of guessing from the type.
 */
public interface ClassifiedException {
  Outcome outcome();
}
