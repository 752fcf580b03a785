package io.docshift.stores.http;

import java.util.Locale;
import java.util.Set;

/**
 * The headers a relay never passes on, because they belong to one hop (connection management,
 * framing, the proxy's own host) and each hop sets its own. The one list every caller that sends a
 * client's call on to Cloudinary uses, whichever HTTP client it goes through.
 */
public final class HopByHop {
  private static final Set<String> REQUEST =
      Set.of(
          "host",
          "connection",
          "keep-alive",
          "content-length",
          "transfer-encoding",
          "expect",
          "upgrade",
          "te",
          "trailer",
          "proxy-connection",
          "proxy-authorization");

  private static final Set<String> RESPONSE =
      Set.of("connection", "keep-alive", "transfer-encoding", ":status", "upgrade", "trailer");

  private HopByHop() {}

  /** Whether a client's request header {@code name} stays with the client's hop. */
  public static boolean request(CharSequence name) {
    return REQUEST.contains(name.toString().toLowerCase(Locale.ROOT));
  }

  /** Whether an upstream's response header {@code name} stays with the upstream's hop. */
  public static boolean response(CharSequence name) {
    return RESPONSE.contains(name.toString().toLowerCase(Locale.ROOT));
  }
}
