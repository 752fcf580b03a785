package io.docshift.testkit;

import static java.util.Objects.requireNonNull;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.core.config.SignatureAlgorithm;
import java.net.URI;

/**
 * The Cloudinary account of the emulator that {@link CloudinaryEmulatorExtension} starts, as the
 * stores read it: its cloud name and API key, the API at the emulator's base URL and delivery under
 * {@code base/cloud}, SHA-1 signatures.
 */
public final class EmulatorAccount {
  private EmulatorAccount() {}

  /** The account with the emulator's own secret, so every signed call is accepted. */
  public static CloudinaryAccount at(URI base) {
    return at(base, CloudinaryEmulatorExtension.API_SECRET);
  }

  /** The account signing with {@code apiSecret}: a wrong one makes the emulator refuse. */
  public static CloudinaryAccount at(URI base, String apiSecret) {
    requireNonNull(base, "base");
    return new CloudinaryAccount(
        CloudinaryEmulatorExtension.CLOUD_NAME,
        CloudinaryEmulatorExtension.API_KEY,
        requireNonNull(apiSecret, "apiSecret"),
        base,
        URI.create(base + "/" + CloudinaryEmulatorExtension.CLOUD_NAME),
        SignatureAlgorithm.SHA1);
  }
}
