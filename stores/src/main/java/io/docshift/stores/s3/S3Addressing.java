package io.docshift.stores.s3;

import io.docshift.core.config.S3Settings;
import io.docshift.stores.http.UrlText;
import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;
import software.amazon.awssdk.utils.http.SdkHttpUtils;

/**
 * Where an object's GET goes, as the SDK would address it: path-style ({@code endpoint/bucket/key})
 * when configured, virtual-hosted ({@code bucket.endpoint/key}) otherwise. Without an endpoint
 * override the endpoint is AWS's for the region. A bucket with a dot is addressed path-style over
 * HTTPS whatever the setting: as a host name it would not match S3's wildcard certificate. An
 * endpoint that is an IP address is addressed path-style too, as the SDK's S3 endpoint rules do: no
 * bucket name can be a label in front of an address.
 *
 * @param base the scheme, host and port (plus the endpoint's own path) connections go to
 * @param bucketPath the path prefix of every key under {@code base}: {@code /bucket} path-style,
 *     empty virtual-hosted
 */
record S3Addressing(URI base, String bucketPath) {
  static S3Addressing of(S3Settings settings) {
    URI endpoint = settings.endpoint().orElseGet(() -> awsEndpoint(settings.region()));
    String bucket = settings.bucket();
    boolean dotted = bucket.contains(".") && "https".equals(endpoint.getScheme());
    if (settings.pathStyle() || dotted || isIpAddress(endpoint.getHost())) {
      return new S3Addressing(endpoint, "/" + bucket);
    }
    String port = endpoint.getPort() < 0 ? "" : ":" + endpoint.getPort();
    String path = endpoint.getRawPath() == null ? "" : endpoint.getRawPath();
    URI base =
        URI.create(endpoint.getScheme() + "://" + bucket + "." + endpoint.getHost() + port + path);
    return new S3Addressing(base, "");
  }

  /** An IPv4 literal, or an IPv6 one (which a URI keeps in brackets). */
  static boolean isIpAddress(String host) {
    return host != null && (host.startsWith("[") || IPV4.matcher(host).matches());
  }

  /** What the SDK's encoding keeps besides letters and digits (slashes: the path's own). */
  private static final String KEPT = "-._~/";

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  /** AWS's regional endpoint ({@code amazonaws.com.cn} in the China regions). */
  static URI awsEndpoint(String region) {
    String domain = region.toLowerCase(Locale.ROOT).startsWith("cn-") ? ".com.cn" : ".com";
    return URI.create("https://s3." + region + ".amazonaws" + domain);
  }

  /**
   * The percent-encoded path of {@code s3Key} under {@link #base()} (what the client appends to the
   * base's path); slashes stay literal, as S3 signs them.
   */
  String path(String s3Key) {
    return bucketPath
        + "/"
        + (UrlText.keptAsIs(s3Key, KEPT) ? s3Key : SdkHttpUtils.urlEncodeIgnoreSlashes(s3Key));
  }

  /** The full request path the signature covers: the base's own path, then {@link #path}. */
  String signedPath(String s3Key) {
    String prefix = base.getRawPath() == null ? "" : base.getRawPath();
    if (prefix.endsWith("/")) {
      prefix = prefix.substring(0, prefix.length() - 1);
    }
    return prefix + path(s3Key);
  }
}
