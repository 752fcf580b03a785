package io.docshift.app.sandbox;

/**
 * How many demo documents the emulator holds after start-up, whether this start seeded them, and
 * the delivery URL of one public document to try.
 */
record SeedSummary(int documents, long bytes, boolean seededNow, String exampleUrl) {
  String describe() {
    String size = String.format("%.1f MiB", bytes / (1024.0 * 1024.0));
    return documents
        + " documents, "
        + size
        + (seededNow ? " (seeded now)" : " (kept from the previous run)");
  }
}
