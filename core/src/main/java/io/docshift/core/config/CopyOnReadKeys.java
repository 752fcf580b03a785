package io.docshift.core.config;

import java.util.List;
import java.util.Map;

/**
 * The {@code read.copyOnRead.*} keys. Kept apart from {@link Settings} so the catalog stays
 * readable.
 */
final class CopyOnReadKeys {
  private static final String PREFIX = "read.copyOnRead.";

  private CopyOnReadKeys() {}

  static void add(List<Setting> all) {
    add(
        all,
        "enabled",
        "false",
        "Copy an original into S3 when a read served it from Cloudinary while S3 lacks it (the"
            + " backfill's rules: conditional put, verified only when the MD5 equals the etag).",
        ValueType.bool());
    add(
        all,
        "maxConcurrent",
        "2",
        "Copies on read in flight per instance; further reads wait in the queue.",
        ValueType.integer(1, 256));
    add(
        all,
        "maxBytesPerSecond",
        "8388608",
        "Bytes per second copies on read may move per instance (0 = no cap); a copy over the"
            + " budget is dropped (counted), never delays a read.",
        ValueType.integer(0, 1L << 40));
    add(
        all,
        "queueSize",
        "1000",
        "Reads waiting for a copy slot per instance; a read beyond them is dropped (counted).",
        ValueType.integer(0, 1_000_000));
    add(
        all,
        "retryAfterMillis",
        "600000",
        "How long a document copied or tried on read is not tried again by this instance.",
        ValueType.integer(0, 86_400_000));
  }

  private static void add(
      List<Setting> all, String name, String defaultValue, String meaning, ValueType type) {
    all.add(new Setting(PREFIX + name, defaultValue, meaning, type, false));
  }

  /** The section from validated values. */
  static CopyOnReadConfig read(Map<String, String> values) {
    return new CopyOnReadConfig(
        Boolean.parseBoolean(values.get(PREFIX + "enabled")),
        Integer.parseInt(values.get(PREFIX + "maxConcurrent")),
        Long.parseLong(values.get(PREFIX + "maxBytesPerSecond")),
        Integer.parseInt(values.get(PREFIX + "queueSize")),
        Long.parseLong(values.get(PREFIX + "retryAfterMillis")));
  }
}
