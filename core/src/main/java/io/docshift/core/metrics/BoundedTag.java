package io.docshift.core.metrics;

import java.util.regex.Pattern;

/**
 * Guards tag values that arrive as strings (shadow rules, repair operations): a value that is not a
 * short lowercase word becomes {@value #OTHER}, so a caller passing a document id by mistake adds
 * one series, not one per document.
 */
final class BoundedTag {
  static final String OTHER = "other";

  private static final Pattern WORD = Pattern.compile("[a-z][a-z0-9_]{0,39}");

  private BoundedTag() {}

  static String of(String value) {
    return value != null && WORD.matcher(value).matches() ? value : OTHER;
  }
}
