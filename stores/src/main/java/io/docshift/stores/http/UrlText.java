package io.docshift.stores.http;

/** Text on its way into a URL path. */
public final class UrlText {
  private UrlText() {}

  /**
   * Whether {@code text} holds only ASCII letters and digits and the characters of {@code
   * alsoKept}: what an encoder keeping those returns unchanged, so callers skip it (and its copies)
   * for the many ids and keys that need no encoding.
   */
  public static boolean keptAsIs(String text, String alsoKept) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean kept =
          c >= 'a' && c <= 'z'
              || c >= 'A' && c <= 'Z'
              || c >= '0' && c <= '9'
              || alsoKept.indexOf(c) >= 0;
      if (!kept) {
        return false;
      }
    }
    return true;
  }
}
