package io.docshift.app.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secrets of one sandbox: Cloudinary account, S3 keys and admin token. Generated randomly the
 * first time and read back from {@code sandbox.json} on restart, so clients configured earlier keep
 * working against the same data directory.
 */
record SandboxCredentials(
    String cloudName,
    String apiKey,
    String apiSecret,
    String s3AccessKey,
    String s3SecretKey,
    String adminToken) {

  static final String CLOUD_NAME = "docshift-sandbox";

  /** Reads the credentials from an existing manifest, or makes new ones. */
  static SandboxCredentials loadOrCreate(Path manifest, SecureRandom random) {
    if (Files.isRegularFile(manifest)) {
      return read(manifest);
    }
    return new SandboxCredentials(
        CLOUD_NAME,
        digits(random, 15),
        token(random, 20),
        "docshift-" + digits(random, 6),
        token(random, 30),
        token(random, 24));
  }

  private static SandboxCredentials read(Path manifest) {
    try {
      JsonNode root = new ObjectMapper().readTree(manifest.toFile());
      return new SandboxCredentials(
          text(root, "cloudinary", "cloudName"),
          text(root, "cloudinary", "apiKey"),
          text(root, "cloudinary", "apiSecret"),
          text(root, "s3", "accessKey"),
          text(root, "s3", "secretKey"),
          text(root, "admin", "token"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read sandbox credentials from " + manifest, e);
    }
  }

  private static String text(JsonNode root, String section, String field) {
    JsonNode node = root.path(section).path(field);
    if (!node.isTextual() || node.asText().isEmpty()) {
      throw new IllegalStateException(
          "sandbox.json: "
              + section
              + "."
              + field
              + " is missing; delete the file to start afresh");
    }
    return node.asText();
  }

  private static String digits(SecureRandom random, int count) {
    StringBuilder out = new StringBuilder(count);
    out.append(1 + random.nextInt(9));
    while (out.length() < count) {
      out.append(random.nextInt(10));
    }
    return out.toString();
  }

  private static String token(SecureRandom random, int bytes) {
    byte[] raw = new byte[bytes];
    random.nextBytes(raw);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
  }
}
