package io.docshift.core.config;

import static java.util.Objects.requireNonNull;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code datadog.*} section: posting metrics to Datadog's HTTP API.
 *
 * @param apiKey the API key; empty means Datadog is off. Masked by {@link #toString()}; never
 *     written by {@link DocShiftConfig#render()}
 * @param uri the API base URL (Datadog's site, or a stand-in in tests)
 * @param stepSeconds seconds between posts
 * @param host the host name sent with every series; empty means this machine's name
 * @param tags tags sent with every series, in the configured order
 */
public record DatadogConfig(
    String apiKey, URI uri, int stepSeconds, String host, Map<String, String> tags) {

  /** Copies {@code tags}, keeping their order. */
  public DatadogConfig {
    requireNonNull(apiKey, "apiKey");
    requireNonNull(uri, "uri");
    requireNonNull(host, "host");
    tags = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(tags, "tags")));
  }

  /** Whether an API key is configured, so metrics go to Datadog. */
  public boolean enabled() {
    return !apiKey.isEmpty();
  }

  @Override
  public String toString() {
    return "DatadogConfig[apiKey="
        + Mask.secret(apiKey)
        + ", uri="
        + uri
        + ", stepSeconds="
        + stepSeconds
        + ", host="
        + host
        + ", tags="
        + tags
        + "]";
  }
}
