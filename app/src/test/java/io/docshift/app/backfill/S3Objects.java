package io.docshift.app.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.key.DeliveryType;
import io.docshift.core.key.DocumentKey;
import io.docshift.core.key.ResourceType;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.Ledger;
import io.docshift.ledger.S3State;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The sandbox bucket as the test sees it, held against the ledger. */
final class S3Objects {
  private S3Objects() {}

  /** The bucket holds exactly {@code count} objects: one per verified row, with its MD5. */
  static void assertBucketEqualsLedger(Ledger ledger, DocShiftConfig config, int count) {
    Map<String, S3Object> objects = objects(config);
    List<DocumentRecord> verified = verified(ledger);
    assertThat(verified).hasSize(count);
    assertThat(objects).hasSize(count);
    for (DocumentRecord record : verified) {
      S3Object object = objects.get(s3Key(record, config));
      assertThat(object).as(record.key().publicId()).isNotNull();
      assertThat(object.eTag().replace("\"", "")).isEqualTo(record.asset().etag());
    }
  }

  /** When each verified document's S3 object was last written. */
  static Map<String, Instant> verifiedLastModified(Ledger ledger, DocShiftConfig config) {
    Map<String, S3Object> objects = objects(config);
    Map<String, Instant> modified = new HashMap<>();
    for (DocumentRecord record : verified(ledger)) {
      String key = s3Key(record, config);
      assertThat(objects).as("verified but absent from S3: " + key).containsKey(key);
      modified.put(key, objects.get(key).lastModified());
    }
    return modified;
  }

  private static List<DocumentRecord> verified(Ledger ledger) {
    return ledger.documents().page(S3State.VERIFIED, 0, 10_000);
  }

  private static String s3Key(DocumentRecord record, DocShiftConfig config) {
    return DocumentKey.of(
            record.key().cloud(),
            ResourceType.fromWire(record.key().resourceType()).orElseThrow(),
            DeliveryType.fromWire(record.key().type()).orElseThrow(),
            record.key().publicId(),
            record.asset().format())
        .s3Key(config.s3().keyPrefix());
  }

  private static Map<String, S3Object> objects(DocShiftConfig config) {
    Map<String, S3Object> objects = new HashMap<>();
    try (S3Client s3 = client(config)) {
      s3.listObjectsV2Paginator(b -> b.bucket(config.s3().bucket()))
          .contents()
          .forEach(o -> objects.put(o.key(), o));
    }
    return objects;
  }

  private static S3Client client(DocShiftConfig config) {
    var settings = StoreSettings.s3(config.s3()).build();
    return S3Client.builder()
        .endpointOverride(settings.endpoint().orElseThrow())
        .region(Region.of(config.s3().region()))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(
                AwsBasicCredentials.create(config.s3().accessKey(), config.s3().secretKey())))
        .build();
  }
}
