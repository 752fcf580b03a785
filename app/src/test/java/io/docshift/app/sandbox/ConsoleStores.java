package io.docshift.app.sandbox;

import io.docshift.core.config.DocShiftConfig;
import io.docshift.ledger.DocumentRecord;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

/** A plain S3 client on the sandbox's bucket, for changing an object behind DocShift's back. */
final class ConsoleStores {
  private ConsoleStores() {}

  /** Replaces the document's S3 object with {@code bytes}, without DocShift's metadata. */
  static void overwriteS3(DocShiftConfig config, DocumentRecord record, byte[] bytes) {
    try (S3Client s3 = client(config)) {
      s3.putObject(
          b -> b.bucket(config.s3().bucket()).key(key(config, record)),
          RequestBody.fromBytes(bytes));
    }
  }

  /** The MD5 DocShift recorded on the document's S3 object, or its ETag when none. */
  static String s3Md5(DocShiftConfig config, DocumentRecord record) {
    try (S3Client s3 = client(config)) {
      HeadObjectResponse head =
          s3.headObject(b -> b.bucket(config.s3().bucket()).key(key(config, record)));
      return head.metadata().getOrDefault("md5", head.eTag().replace("\"", ""));
    }
  }

  private static String key(DocShiftConfig config, DocumentRecord record) {
    String format = record.asset().format();
    boolean extension = format != null && !record.key().resourceType().equals("raw");
    return config.s3().keyPrefix() + record.key() + (extension ? "." + format : "");
  }

  private static S3Client client(DocShiftConfig config) {
    return S3Client.builder()
        .endpointOverride(config.s3().endpoint().orElseThrow())
        .region(Region.of(config.s3().region()))
        .forcePathStyle(true)
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .credentialsProvider(
            () -> AwsBasicCredentials.create(config.s3().accessKey(), config.s3().secretKey()))
        .build();
  }
}
