package io.docshift.stores;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.ConfigException;
import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.core.store.DocumentResponse;
import io.docshift.core.store.PutCondition;
import io.docshift.core.store.PutRequest;
import io.docshift.sandbox.emulator.SeedRequest;
import io.docshift.stores.cloudinary.CloudinaryDocumentStore;
import io.docshift.stores.cloudinary.NettyCloudinaryStore;
import io.docshift.stores.s3.NettyS3Store;
import io.docshift.stores.s3.S3DocumentStore;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.SandboxConfigKeys;
import io.docshift.testkit.SlowSubscriber;
import io.docshift.testkit.TestBodies;
import java.io.ByteArrayInputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The stores a copying run opens: which clients {@code s3.readClient} picks, and what they copy.
 */
@Timeout(60)
class CopyStoresTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLOUDINARY = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  private static DocShiftConfig config(String readClient) {
    Map<String, String> keys =
        SandboxConfigKeys.of(CLOUDINARY.emulator(), S3.s3().endpoint(), "copy-stores");
    keys.put("s3.readClient", readClient);
    return DocShiftConfig.builder().overrides(keys).build();
  }

  @Test
  void nettyDownloadsAnOriginalAndStreamsItIntoAConditionalPut() throws Exception {
    byte[] bytes = TestBodies.random(100_000, 1);
    CLOUDINARY
        .emulator()
        .seed(
            SeedRequest.builder()
                .resourceType("raw")
                .type("upload")
                .publicId("copy-stores/a.bin")
                .content(new ByteArrayInputStream(bytes))
                .build());
    DocumentKey key =
        DocumentKey.of(
            CloudinaryEmulatorExtension.CLOUD_NAME,
            ResourceType.RAW,
            DeliveryType.UPLOAD,
            "copy-stores/a.bin",
            null);

    try (CopyStores stores = CopyStores.open(config("NETTY"), 8)) {
      assertThat(stores.cloudinary()).isInstanceOf(NettyCloudinaryStore.class);
      assertThat(stores.s3()).isInstanceOf(NettyS3Store.class);
      DocumentResponse original =
          stores.cloudinary().get(key, Optional.empty()).get(30, TimeUnit.SECONDS);
      stores
          .s3()
          .put(
              key,
              PutRequest.builder(bytes.length, original.body())
                  .condition(PutCondition.ifAbsent())
                  .build())
          .get(30, TimeUnit.SECONDS);
      DocumentResponse copy = stores.s3().get(key, Optional.empty()).get(30, TimeUnit.SECONDS);
      byte[] copied = SlowSubscriber.collect(copy.body()).get(30, TimeUnit.SECONDS);
      assertThat(TestBodies.sha256Hex(copied)).isEqualTo(TestBodies.sha256Hex(bytes));
    }
  }

  @Test
  void sdkKeepsTheJdkClientAndTheSdk() {
    try (CopyStores stores = CopyStores.open(config("SDK"), 8)) {
      assertThat(stores.cloudinary()).isInstanceOf(CloudinaryDocumentStore.class);
      assertThat(stores.s3()).isInstanceOf(S3DocumentStore.class);
      assertThat(stores.account().cloudName()).isEqualTo(CloudinaryEmulatorExtension.CLOUD_NAME);
    }
  }

  @Test
  void namesWhatIsMissing() {
    DocShiftConfig noBucket =
        DocShiftConfig.builder()
            .overrides(
                Map.of(
                    "cloudinary.cloudName", "c",
                    "cloudinary.apiKey", "k",
                    "cloudinary.apiSecret", "s"))
            .build();
    assertThatThrownBy(() -> CopyStores.open(noBucket, 8))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("s3.bucket");
    assertThatThrownBy(() -> CopyStores.open(config("NETTY"), 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("s3Connections: 0 (expected: > 0)");
  }
}
