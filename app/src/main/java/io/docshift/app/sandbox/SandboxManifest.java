package io.docshift.app.sandbox;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * What a client needs to reach a running sandbox, written as {@code DIR/sandbox.json}. The key set
 * is a fixed contract (docs/architecture.md): {@code cloudinary.*}, {@code s3.*}, {@code
 * proxy.url}, {@code admin.*}, {@code cloudinaryUrl}, {@code dataDir}; more keys may be added.
 */
record SandboxManifest(
    SandboxCredentials credentials,
    URI cloudinaryApiUrl,
    URI cloudinaryDeliveryUrl,
    URI s3Endpoint,
    String s3Region,
    String s3Bucket,
    String s3KeyPrefix,
    URI proxyUrl,
    URI adminUrl,
    String ledgerUrl,
    Path dataDir,
    Path configFile) {

  static final String FILE_NAME = "sandbox.json";

  /**
   * A ready {@code CLOUDINARY_URL} whose {@code upload_prefix} points at the DocShift proxy, as the
   * fixed contract says. {@link #directCloudinaryUrl()} reaches the emulator itself, bypassing
   * DocShift.
   */
  String cloudinaryUrl() {
    return cloudinaryUrl(proxyUrl);
  }

  /** A {@code CLOUDINARY_URL} that talks to the emulator directly, bypassing DocShift. */
  String directCloudinaryUrl() {
    return cloudinaryUrl(cloudinaryApiUrl);
  }

  private String cloudinaryUrl(URI uploadPrefix) {
    return "cloudinary://"
        + credentials.apiKey()
        + ":"
        + credentials.apiSecret()
        + "@"
        + credentials.cloudName()
        + "?upload_prefix="
        + uploadPrefix;
  }

  /** Writes the manifest atomically (a reader never sees half a file). */
  void write() {
    Path target = dataDir.resolve(FILE_NAME);
    Path temp = dataDir.resolve(FILE_NAME + ".tmp");
    try {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      mapper.writeValue(temp.toFile(), toJson(mapper));
      OwnerOnly.restrict(temp); // it holds every secret of the sandbox
      Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + target, e);
    }
  }

  private ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode root = mapper.createObjectNode();
    root.putObject("cloudinary")
        .put("cloudName", credentials.cloudName())
        .put("apiKey", credentials.apiKey())
        .put("apiSecret", credentials.apiSecret())
        .put("apiUrl", cloudinaryApiUrl.toString())
        .put("deliveryUrl", cloudinaryDeliveryUrl.toString());
    root.putObject("s3")
        .put("endpoint", s3Endpoint.toString())
        .put("region", s3Region)
        .put("bucket", s3Bucket)
        .put("accessKey", credentials.s3AccessKey())
        .put("secretKey", credentials.s3SecretKey())
        .put("keyPrefix", s3KeyPrefix)
        .put("pathStyle", true);
    root.putObject("proxy").put("url", proxyUrl.toString());
    root.putObject("admin").put("url", adminUrl.toString()).put("token", credentials.adminToken());
    root.putObject("ledger").put("url", ledgerUrl);
    root.put("cloudinaryUrl", cloudinaryUrl());
    root.put("cloudinaryUrlDirect", directCloudinaryUrl());
    root.put("dataDir", dataDir.toString());
    root.put("config", configFile.toString());
    return root;
  }
}
