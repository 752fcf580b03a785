package io.docshift.sandbox.emulator;

import java.util.List;
import java.util.regex.Pattern;

/**
 * A delivery URL split into its parts: {@code {rt}/{type}/[s--SIG--/][transformations/]
 * [v{version}/]{source}}. Without a version segment the boundary between transformations and a
 * foldered public id is ambiguous, so {@link #splits()} offers every candidate and the handler
 * picks the one naming a stored asset.
 *
 * @param resourceType resource type segment
 * @param type delivery type segment
 * @param signature the {@code SIG} of {@code s--SIG--}, or {@code null}
 * @param rest decoded segments after the signature
 * @param rawRest the same segments as received (percent-encoded), which the signature covers
 * @param versionIndex index in {@code rest} of the {@code v{digits}} segment, or -1
 */
record DeliveryPath(
    String resourceType,
    String type,
    String signature,
    List<String> rest,
    List<String> rawRest,
    int versionIndex) {
  private static final Pattern SIGNATURE =
      Pattern.compile("s--([A-Za-z0-9_-]{8}|[A-Za-z0-9_-]{32})--");
  private static final Pattern VERSION = Pattern.compile("v\\d+");

  /**
   * Parses segments that start at the resource type, given decoded and as-received forms of the
   * same segments; {@code null} when too short.
   */
  static DeliveryPath parse(List<String> segments, List<String> rawSegments) {
    if (segments.size() < 3) {
      return null;
    }
    int first = 2;
    String signature = null;
    var m = SIGNATURE.matcher(segments.get(first));
    if (segments.size() > first + 1 && m.matches()) {
      signature = m.group(1);
      first++;
    }
    List<String> rest = segments.subList(first, segments.size());
    List<String> rawRest = rawSegments.subList(first, rawSegments.size());
    int versionIndex = -1;
    for (int i = 0; i < rest.size() - 1; i++) {
      if (VERSION.matcher(rest.get(i)).matches()) {
        versionIndex = i;
        break;
      }
    }
    return new DeliveryPath(
        segments.get(0),
        segments.get(1),
        signature,
        List.copyOf(rest),
        List.copyOf(rawRest),
        versionIndex);
  }

  /**
   * The string the {@code s--SIG--} signs: everything after it except the version segment, as
   * received. The SDKs sign the percent-encoded source they put in the URL (Java's {@code
   * Url.generate}: {@code folder/my%20file.pdf}, not {@code folder/my file.pdf}).
   */
  String toSign() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < rawRest.size(); i++) {
      if (i != versionIndex) {
        sb.append(sb.length() == 0 ? "" : "/").append(rawRest.get(i));
      }
    }
    return sb.toString();
  }

  /** Number of leading transformation segments for each candidate split, most likely first. */
  int[] splits() {
    if (versionIndex >= 0) {
      return new int[] {versionIndex};
    }
    int[] splits = new int[rest.size()];
    for (int i = 0; i < splits.length; i++) {
      splits[i] = i;
    }
    return splits;
  }

  /** The source (public id plus extension) when {@code transformations} segments precede it. */
  String source(int transformations) {
    int from = versionIndex >= 0 ? versionIndex + 1 : transformations;
    return String.join("/", rest.subList(from, rest.size()));
  }
}
