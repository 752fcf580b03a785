package io.docshift.app.sandbox;

/**
 * How many demo documents the emulator holds after start-up, and whether this start seeded them.
 */
record SeedSummary(int documents, long bytes, boolean seededNow) {
  String describe() {
    String size = String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    return documents
        + " documents, "
        + size
        + (seededNow ? " (seeded now)" : " (kept from the previous run)");
  }
}
