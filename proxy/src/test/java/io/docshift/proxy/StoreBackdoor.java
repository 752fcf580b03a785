package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.StoreSettings;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.PutRequest;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.Transition;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.TestBodies;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import software.amazon.awssdk.core.async.AsyncRequestBody;

/**
 * Reaches the stores around DocShift for {@link TrustedReadTest}: signed uploads through the proxy,
 * documents placed as an S3-primary write leaves them, and S3Proxy's files read or damaged behind
 * DocShift's back.
 */
final class StoreBackdoor {
  private StoreBackdoor() {}

  /** A signed multipart upload through the proxy, as the Cloudinary SDKs send it. */
  static HttpResponse<String> upload(ReadPathFixture fx, String publicId, byte[] bytes)
      throws Exception {
    Map<String, String> params = new TreeMap<>();
    params.put("public_id", publicId);
    params.put("timestamp", Long.toString(System.currentTimeMillis() / 1000));
    CloudinarySigner signer =
        CloudinarySigner.of(StoreSettings.cloudinaryAccount(fx.config.cloudinary()));
    params.put("signature", signer.signParams(params));
    params.put("api_key", CloudinaryEmulatorExtension.API_KEY);
    String boundary = "trust-boundary-7d1";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (Map.Entry<String, String> p : params.entrySet()) {
      body.write(
          ("--"
                  + boundary
                  + "\r\nContent-Disposition: form-data; name=\""
                  + p.getKey()
                  + "\"\r\n\r\n"
                  + p.getValue()
                  + "\r\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    body.write(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"doc.pdf\"\r\n"
                + "Content-Type: application/pdf\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.write(bytes);
    body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    return TrustedReadTest.HTTP.send(
        HttpRequest.newBuilder(fx.url("/v1_1/demo/raw/upload"))
            .header("Content-Type", "multipart/form-data; boundary=" + boundary)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  static int cloudinaryStatus(ReadPathFixture fx, String path) throws Exception {
    return TrustedReadTest.HTTP
        .send(
            HttpRequest.newBuilder(URI.create(fx.emulator.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  static byte[] cloudinaryBody(ReadPathFixture fx, String path) throws Exception {
    return TrustedReadTest.HTTP
        .send(
            HttpRequest.newBuilder(URI.create(fx.emulator.baseUrl() + path)).build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .body();
  }

  /**
   * A raw document as an S3-primary write leaves it: in S3 and verified in the ledger, never in
   * Cloudinary.
   */
  static LedgerKey onlyInS3(ReadPathFixture fx, String publicId, byte[] bytes) throws Exception {
    String md5 = TestBodies.md5Hex(bytes);
    String sha = TestBodies.sha256Hex(bytes);
    long version = 1_700_000_000L;
    DocumentKey key = DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, publicId, null);
    fx.s3Writer
        .put(
            key,
            new PutRequest(
                bytes.length,
                "application/pdf",
                Optional.of(md5),
                Optional.of(sha),
                OptionalLong.of(version),
                AsyncRequestBody.fromBytes(bytes)))
        .get(30, TimeUnit.SECONDS);
    LedgerKey ledgerKey = new LedgerKey("demo", "raw", "upload", publicId);
    assertThat(
            fx.ledger
                .documents()
                .recordWrite(
                    new CloudinaryAsset(ledgerKey, null, version, md5, bytes.length), md5, sha))
        .isEqualTo(Transition.APPLIED);
    assertThat(cloudinaryStatus(fx, "/demo/raw/upload/" + publicId)).isEqualTo(404);
    return ledgerKey;
  }

  /** The object as S3Proxy holds it on disk. */
  static byte[] s3Body(ReadPathFixture fx, Path s3Data, String publicId) throws IOException {
    return Files.readAllBytes(s3File(fx, s3Data, publicId));
  }

  /** Damages the object behind DocShift's back, in S3Proxy's files, keeping its length. */
  static void flipOneByte(ReadPathFixture fx, Path s3Data, String publicId, long at)
      throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(s3File(fx, s3Data, publicId).toFile(), "rw")) {
      f.seek(at);
      int b = f.read();
      f.seek(at);
      f.write(b ^ 0x01);
    }
  }

  static Path s3File(ReadPathFixture fx, Path s3Data, String publicId) throws IOException {
    String suffix = fx.config.s3().keyPrefix() + "demo/raw/upload/" + publicId;
    try (Stream<Path> files = Files.walk(s3Data)) {
      return files
          .filter(Files::isRegularFile)
          .filter(p -> p.toString().replace('\\', '/').endsWith(suffix))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("no S3Proxy file for " + publicId));
    }
  }
}
