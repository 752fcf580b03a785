package io.docshift.stores.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.S3Settings;
import io.netty.handler.codec.http.HttpHeaders;
import java.net.URI;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.SdkHttpMethod;

/**
 * Where reads go and what their signed requests carry. Virtual-hosted addressing is checked here,
 * at the request level: S3Proxy can route virtual hosts, but a bucket sub-domain of a loopback name
 * does not resolve on a test machine, so the end-to-end tests run path-style.
 */
class S3AddressingTest {
  private static S3Settings.Builder settings(String bucket) {
    return S3Settings.builder("eu-west-3", bucket).credentials("AKID", "secret");
  }

  @Test
  void awsVirtualHostedPutsTheBucketInTheHost() {
    S3Addressing a = S3Addressing.of(settings("docs-bucket").build());

    assertThat(a.base()).isEqualTo(URI.create("https://docs-bucket.s3.eu-west-3.amazonaws.com"));
    assertThat(a.path("mig/demo/raw/upload/a b+c/ü.pdf"))
        .isEqualTo("/mig/demo/raw/upload/a%20b%2Bc/%C3%BC.pdf");
  }

  @Test
  void everyKeyIsEncodedAsTheSdkEncodesIt() {
    S3Addressing a = S3Addressing.of(settings("docs-bucket").build());
    for (char c = 0; c < 0x250; c++) {
      String key = "mig/a" + c + "b.pdf";
      assertThat(a.path(key))
          .as("U+%04X", (int) c)
          .isEqualTo(
              "/" + software.amazon.awssdk.utils.http.SdkHttpUtils.urlEncodeIgnoreSlashes(key));
    }
  }

  @Test
  void pathStylePutsTheBucketInThePath() {
    S3Addressing a = S3Addressing.of(settings("docs-bucket").pathStyle(true).build());

    assertThat(a.base()).isEqualTo(URI.create("https://s3.eu-west-3.amazonaws.com"));
    assertThat(a.path("k/x.pdf")).isEqualTo("/docs-bucket/k/x.pdf");
    assertThat(a.signedPath("k/x.pdf")).isEqualTo("/docs-bucket/k/x.pdf");
  }

  @Test
  void aDottedBucketOverHttpsStaysPathStyleSoTheCertificateMatches() {
    S3Addressing a = S3Addressing.of(settings("docs.example.com").build());

    assertThat(a.base().getHost()).isEqualTo("s3.eu-west-3.amazonaws.com");
    assertThat(a.path("k")).isEqualTo("/docs.example.com/k");
  }

  @Test
  void anEndpointOverrideKeepsItsPortAndPathInBothStyles() {
    URI endpoint = URI.create("http://minio.internal:9000/s3");
    S3Addressing virtual = S3Addressing.of(settings("b1-x").endpoint(endpoint).build());
    S3Addressing path =
        S3Addressing.of(settings("b1-x").endpoint(endpoint).pathStyle(true).build());

    assertThat(virtual.base()).isEqualTo(URI.create("http://b1-x.minio.internal:9000/s3"));
    assertThat(virtual.signedPath("k")).isEqualTo("/s3/k");
    assertThat(path.base()).isEqualTo(endpoint);
    assertThat(path.signedPath("k")).isEqualTo("/s3/b1-x/k");
  }

  @Test
  void anEndpointThatIsAnIpAddressIsAddressedPathStyle() {
    URI v4 = URI.create("http://127.0.0.1:9");
    URI v6 = URI.create("http://[::1]:9000");

    S3Addressing a = S3Addressing.of(settings("docs").endpoint(v4).build());
    S3Addressing b = S3Addressing.of(settings("docs").endpoint(v6).build());

    assertThat(a.base()).isEqualTo(v4);
    assertThat(a.signedPath("k")).isEqualTo("/docs/k");
    assertThat(b.base()).isEqualTo(v6);
    assertThat(b.signedPath("k")).isEqualTo("/docs/k");
  }

  @Test
  void chinaRegionsUseTheirOwnDomain() {
    assertThat(S3Addressing.awsEndpoint("cn-north-1"))
        .isEqualTo(URI.create("https://s3.cn-north-1.amazonaws.com.cn"));
  }

  @Test
  void signedHeadersCarryTheEmptyPayloadHashTheDateAndASessionToken() throws Exception {
    S3Addressing a = S3Addressing.of(settings("docs-bucket").build());
    S3RequestSigner signer =
        new S3RequestSigner(
            StaticCredentialsProvider.create(
                AwsSessionCredentials.create("ASIA", "secret", "the-session-token")),
            "eu-west-3",
            a.base());

    HttpHeaders h = signer.sign(SdkHttpMethod.GET, a.signedPath("k"), Optional.empty()).get();

    assertThat(h.get("x-amz-content-sha256"))
        .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    assertThat(h.get("X-Amz-Date")).matches("\\d{8}T\\d{6}Z");
    assertThat(h.get("X-Amz-Security-Token")).isEqualTo("the-session-token");
    assertThat(h.get("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=ASIA/")
        .contains("/eu-west-3/s3/aws4_request")
        .contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token");
    assertThat(h.contains("Host")).as("the client sets Host from the same base").isFalse();
  }

  @Test
  void aRangeIsSigned() throws Exception {
    S3Addressing a = S3Addressing.of(settings("docs-bucket").build());
    S3RequestSigner signer =
        new S3RequestSigner(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")),
            "eu-west-3",
            a.base());

    HttpHeaders h =
        signer
            .sign(
                SdkHttpMethod.GET,
                a.signedPath("k"),
                Optional.of(io.docshift.core.store.ByteRange.closed(0, 9)))
            .get();

    assertThat(h.get("Range")).isEqualTo("bytes=0-9");
    assertThat(h.get("Authorization")).contains("SignedHeaders=host;range;");
  }
}
