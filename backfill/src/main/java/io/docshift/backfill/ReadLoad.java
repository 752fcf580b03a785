package io.docshift.backfill;

/**
 * The fleet's delivery reads over one pacing interval.
 *
 * @param reads reads that ended (faults included)
 * @param faults reads a store failed
 * @param slow reads that took the pace's p99 threshold or longer
 */
record ReadLoad(long reads, long faults, long slow) {
  static final ReadLoad NONE = new ReadLoad(0, 0, 0);

  double faultPercent() {
    return reads == 0 ? 0 : 100.0 * faults / reads;
  }

  double slowPercent() {
    return reads == 0 ? 0 : 100.0 * slow / reads;
  }

  @Override
  public String toString() {
    return reads + " reads, " + faults + " failed, " + slow + " slow";
  }
}
