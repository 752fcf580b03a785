package io.docshift.core.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The accepted values of one setting: a human description for error messages ({@code expected:
 * ...}) and a check that returns the normalised value, or empty when the value is not accepted.
 */
interface ValueType {
  /** What is expected, e.g. {@code integer 0..65535}. */
  String expected();

  /** The normalised value, or empty if {@code value} (already trimmed) is not accepted. */
  Optional<String> normalize(String value);

  static ValueType text() {
    return simple("text", v -> true);
  }

  static ValueType nonEmpty(String expected) {
    return simple(expected, v -> !v.isEmpty());
  }

  static ValueType matching(String expected, String regex) {
    Pattern pattern = Pattern.compile(regex);
    return simple(expected, v -> pattern.matcher(v).matches());
  }

  static ValueType integer(long min, long max) {
    return new ValueType() {
      @Override
      public String expected() {
        return "integer " + min + ".." + max;
      }

      @Override
      public Optional<String> normalize(String value) {
        try {
          long parsed = Long.parseLong(value);
          return parsed < min || parsed > max
              ? Optional.empty()
              : Optional.of(Long.toString(parsed));
        } catch (NumberFormatException e) {
          return Optional.empty();
        }
      }
    };
  }

  static ValueType bool() {
    return new ValueType() {
      @Override
      public String expected() {
        return "true or false";
      }

      @Override
      public Optional<String> normalize(String value) {
        String lower = value.toLowerCase(Locale.ROOT);
        return lower.equals("true") || lower.equals("false")
            ? Optional.of(lower)
            : Optional.empty();
      }
    };
  }

  static <E extends Enum<E>> ValueType oneOf(Class<E> type) {
    String names =
        Arrays.stream(type.getEnumConstants()).map(Enum::name).collect(Collectors.joining(", "));
    return new ValueType() {
      @Override
      public String expected() {
        return "one of " + names;
      }

      @Override
      public Optional<String> normalize(String value) {
        String upper = value.toUpperCase(Locale.ROOT);
        return Arrays.stream(type.getEnumConstants())
            .map(Enum::name)
            .filter(upper::equals)
            .findFirst();
      }
    };
  }

  /** An absolute http or https URL with a host; {@code {cloudName}} may appear anywhere. */
  static ValueType httpUrl(boolean emptyAllowed) {
    String expected = (emptyAllowed ? "empty or " : "") + "http(s) URL";
    return simple(expected, v -> (emptyAllowed && v.isEmpty()) || isHttpUrl(v));
  }

  private static boolean isHttpUrl(String value) {
    try {
      URI uri = new URI(value.replace(CloudinaryConfig.CLOUD_NAME_PLACEHOLDER, "cloud"));
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
    } catch (URISyntaxException e) {
      return false;
    }
  }

  /** Values {@code accepts} takes as they are. */
  static ValueType simple(String expected, java.util.function.Predicate<String> accepts) {
    return new ValueType() {
      @Override
      public String expected() {
        return expected;
      }

      @Override
      public Optional<String> normalize(String value) {
        return accepts.test(value) ? Optional.of(value) : Optional.empty();
      }
    };
  }
}
