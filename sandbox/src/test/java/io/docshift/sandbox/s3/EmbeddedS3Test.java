package io.docshift.sandbox.s3;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

class EmbeddedS3Test {
  @TempDir Path dir;

  @Test
  void objectsWrittenThroughTheAwsSdkSurviveARestart() {
    String bucket = "docs";
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir, "127.0.0.1", 0, bucket, "key", "secret");
        S3Client client = client(s3.endpoint())) {
      client.putObject(b -> b.bucket(bucket).key("a/b.pdf"), RequestBody.fromString("hello"));
    }
    try (EmbeddedS3 s3 = EmbeddedS3.start(dir, "127.0.0.1", 0, bucket, "key", "secret");
        S3Client client = client(s3.endpoint())) {
      assertThat(client.listObjectsV2(b -> b.bucket(bucket)).contents())
          .extracting(o -> o.key())
          .containsExactly("a/b.pdf");
      assertThat(client.getObjectAsBytes(b -> b.bucket(bucket).key("a/b.pdf")).asUtf8String())
          .isEqualTo("hello");
    }
  }

  private static S3Client client(URI endpoint) {
    return S3Client.builder()
        .endpointOverride(endpoint)
        .region(Region.of(EmbeddedS3.REGION))
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("key", "secret")))
        .build();
  }
}
