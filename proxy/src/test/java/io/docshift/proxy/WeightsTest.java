package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sticky, monotonic S3 read weights: 0 → none, 50 → buckets below 50, 100 → every verified copy.
 */
class WeightsTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  static final HttpClient HTTP = HttpClient.newHttpClient();
  static ReadPathFixture fx;
  static final List<StoredAsset> VERIFIED = new ArrayList<>();
  static StoredAsset notCopied;

  @BeforeAll
  static void start() throws Exception {
    fx = new ReadPathFixture(CLD.emulator(), S3.s3(), S3.s3().endpoint(), Map.of());
    for (int i = 0; i < 16; i++) {
      byte[] bytes = ("document " + i).getBytes(StandardCharsets.US_ASCII);
      StoredAsset a = fx.seed("raw", "upload", "weights/doc-" + i + ".txt", bytes);
      fx.copyToS3(a, bytes, "text/plain");
      VERIFIED.add(a);
    }
    notCopied = fx.seed("raw", "upload", "weights/not-copied.txt", new byte[] {1, 2, 3});
  }

  @AfterAll
  static void stop() {
    fx.close();
  }

  static String backendOf(StoredAsset a) throws Exception {
    HttpResponse<byte[]> r =
        HTTP.send(
            HttpRequest.newBuilder(fx.url("/demo/raw/upload/v1/" + a.publicId())).build(),
            HttpResponse.BodyHandlers.ofByteArray());
    assertThat(r.statusCode()).isEqualTo(200);
    return r.headers().firstValue("X-DocShift-Backend").orElseThrow();
  }

  @Test
  void raisingTheWeightOnlyAddsDocumentsAndEachFollowsItsBucket() throws Exception {
    Set<String> onS3 = new HashSet<>();
    for (int weight = 0; weight <= 100; weight += 10) {
      fx.weight(weight);
      for (StoredAsset a : VERIFIED) {
        int bucket = ReadPathFixture.key(a).stickyBucket();
        String backend = backendOf(a);
        assertThat(backend)
            .as("%s bucket %d at %d", a.publicId(), bucket, weight)
            .isEqualTo(bucket < weight ? "s3" : "cloudinary");
        if (onS3.contains(a.publicId())) {
          assertThat(backend).as("monotonic").isEqualTo("s3");
        }
        if (backend.equals("s3")) {
          onS3.add(a.publicId());
        }
      }
      assertThat(backendOf(notCopied)).isEqualTo("cloudinary");
    }
    assertThat(onS3).hasSize(VERIFIED.size());
  }

  @Test
  void atHalfWeightTheSplitFollowsTheStickyBuckets() throws Exception {
    fx.weight(50);
    long expected =
        VERIFIED.stream().filter(a -> ReadPathFixture.key(a).stickyBucket() < 50).count();
    long actual = 0;
    for (StoredAsset a : VERIFIED) {
      actual += backendOf(a).equals("s3") ? 1 : 0;
    }
    assertThat(actual).isEqualTo(expected);
    assertThat(expected).isBetween(1L, (long) VERIFIED.size() - 1);
  }
}
