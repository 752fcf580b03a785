package io.docshift.stores.s3;

import static java.util.Objects.requireNonNull;

import io.docshift.core.store.ByteRange;
import io.docshift.stores.http.UpstreamClient;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.IdentityProvider;

/**
 * Signs bodiless S3 requests (GET, HEAD) and streamed PUTs ({@link #signPut}) with the AWS SDK's
 * standalone SigV4 signer, as the SDK's own S3 client does: service {@code s3}, no double
 * URL-encoding, no path normalisation, and the SHA-256 of the empty payload in {@code
 * x-amz-content-sha256}. Credentials come from the provider each time (a session token rides along
 * as {@code x-amz-security-token}), so credentials the provider refreshes are picked up by the next
 * request; {@link NettyS3Store} gives it a {@link CachedCredentials}, which answers at once and
 * refreshes off the event loops.
 *
 * <p>The signed headers become the Netty request's, except {@code Host}: the upstream client sets
 * that from the same base URI the signer saw, in the same form (the port only when not the scheme's
 * default).
 */
final class S3RequestSigner {
  private static final String HOST = "Host";

  private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
  private final IdentityProvider<? extends AwsCredentialsIdentity> credentials;
  private final String region;
  private final String scheme;
  private final String host;
  private final int port;

  S3RequestSigner(
      IdentityProvider<? extends AwsCredentialsIdentity> credentials, String region, URI base) {
    this.credentials = requireNonNull(credentials, "credentials");
    this.region = requireNonNull(region, "region");
    this.scheme = base.getScheme();
    this.host = base.getHost();
    this.port = base.getPort();
  }

  /**
   * The headers of a signed request for {@code encodedPath} (the full path, as signed).
   *
   * @return completes when the credentials are resolved (at once for static keys and cached session
   *     credentials), exceptionally when they cannot be
   */
  CompletableFuture<HttpHeaders> sign(
      SdkHttpMethod method, String encodedPath, Optional<ByteRange> range) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(method)
            .protocol(scheme)
            .host(host)
            .port(port < 0 ? null : port)
            .encodedPath(encodedPath);
    range.ifPresent(r -> request.putHeader("Range", r.toHeaderValue()));
    SdkHttpRequest unsigned = request.build();
    return credentials
        .resolveIdentity()
        .thenApply(identity -> headers(signed(unsigned, identity, true)));
  }

  /**
   * The headers of a signed PUT of {@code encodedPath} carrying {@code headers} (all signed) and a
   * body sent as it arrives: its payload is {@code UNSIGNED-PAYLOAD}, since its SHA-256 is not
   * known before it went by. Integrity rides on {@code Content-MD5} (and {@code
   * x-amz-checksum-sha256} when known), which S3 checks against the bytes it received.
   */
  CompletableFuture<HttpHeaders> signPut(String encodedPath, Map<String, String> headers) {
    SdkHttpRequest.Builder request =
        SdkHttpRequest.builder()
            .method(SdkHttpMethod.PUT)
            .protocol(scheme)
            .host(host)
            .port(port < 0 ? null : port)
            .encodedPath(encodedPath);
    headers.forEach(request::putHeader);
    SdkHttpRequest unsigned = request.build();
    return credentials
        .resolveIdentity()
        .thenApply(identity -> headers(signed(unsigned, identity, false)));
  }

  private SdkHttpRequest signed(
      SdkHttpRequest unsigned, AwsCredentialsIdentity identity, boolean signPayload) {
    SignedRequest signed =
        signer.sign(
            r ->
                r.identity(identity)
                    .request(unsigned)
                    .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "s3")
                    .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                    .putProperty(AwsV4HttpSigner.DOUBLE_URL_ENCODE, false)
                    .putProperty(AwsV4HttpSigner.NORMALIZE_PATH, false)
                    .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, signPayload));
    return signed.request();
  }

  private static HttpHeaders headers(SdkHttpRequest signed) {
    HttpHeaders headers = UpstreamClient.newHeaders();
    for (Map.Entry<String, List<String>> header : signed.headers().entrySet()) {
      if (!HOST.equalsIgnoreCase(header.getKey())) {
        headers.add(header.getKey(), header.getValue());
      }
    }
    return headers;
  }
}
