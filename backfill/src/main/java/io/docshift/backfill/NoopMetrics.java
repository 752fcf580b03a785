package io.docshift.backfill;

/**
 * {@link BackfillMetrics} that records nothing. Not final, so a test that watches one kind of
 * report overrides just that method.
 */
class NoopMetrics implements BackfillMetrics {
  static final NoopMetrics INSTANCE = new NoopMetrics();

  @Override
  public void listed(int documents) {}

  @Override
  public void copied(long bytes) {}

  @Override
  public void skipped(String reason) {}

  @Override
  public void failed(String reason) {}

  @Override
  public void mismatch() {}

  @Override
  public void adminCall(String outcome) {}

  @Override
  public void adminBudgetRemaining(int calls) {}

  @Override
  public void queueRemaining(long documents) {}
}
