package io.docshift.stores.s3;

import io.docshift.core.config.S3Settings;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The one place S3 credentials are resolved from {@link S3Settings}: static keys when configured,
 * else the SDK's default chain (environment, profile, web identity, container and instance roles),
 * whose session credentials the provider itself refreshes before they expire. The SDK client and
 * the Netty reads share the instance, so a refresh serves both.
 */
final class S3Credentials {
  private S3Credentials() {}

  /** Static keys, or a new default chain (closed by its owner). */
  static AwsCredentialsProvider provider(S3Settings settings) {
    AwsCredentialsProvider fixed = staticOrNull(settings);
    return fixed != null ? fixed : DefaultCredentialsProvider.builder().build();
  }

  /** Static keys when configured, else {@code null} (the caller picks the chain). */
  static AwsCredentialsProvider staticOrNull(S3Settings settings) {
    if (settings.accessKey().isEmpty()) {
      return null;
    }
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(settings.accessKey().get(), settings.secretKey().orElseThrow()));
  }
}
