package io.docshift.app.sandbox;

/** The short text the sandbox prints once it is up: what runs where, and what to try next. */
final class Banner {
  private Banner() {}

  /** A seeded public document if there is one, else the URL pattern. */
  private static String example(SandboxManifest m, SeedSummary seeded) {
    return seeded.exampleUrl().isEmpty()
        ? m.cloudinaryDeliveryUrl() + "/image/upload/<public_id>.<format>"
        : seeded.exampleUrl();
  }

  /**
   * The same delivery path on the proxy: clients only change the host. Plain text substitution, so
   * the {@code <public_id>} placeholder of an empty sandbox survives it.
   */
  static String viaProxy(SandboxManifest m, String emulatorUrl) {
    return emulatorUrl.replace(m.cloudinaryApiUrl().toString(), m.proxyUrl().toString());
  }

  static String render(SandboxManifest m, SeedSummary seeded) {
    String cloud = m.credentials().cloudName();
    return String.join(
        System.lineSeparator(),
        "",
        "DocShift sandbox is up (data: " + m.dataDir() + ")",
        "  Cloudinary emulator  " + m.cloudinaryApiUrl() + "   cloud " + cloud,
        "  S3 (S3Proxy)         " + m.s3Endpoint() + "   bucket " + m.s3Bucket(),
        "  ledger               " + m.ledgerUrl(),
        "  DocShift proxy       " + m.proxyUrl() + "   (Cloudinary delivery URLs, read path)",
        "  admin                " + m.adminUrl() + "   (bearer token in sandbox.json)",
        "  demo backlog         " + seeded.describe(),
        "",
        "  Clients: "
            + m.dataDir().resolve(SandboxManifest.FILE_NAME)
            + " has every endpoint and"
            + " credential;",
        "           "
            + m.configFile()
            + " is a config other docshift commands accept with"
            + " --config.",
        "  Try:     CLOUDINARY_URL='" + m.directCloudinaryUrl() + "' with any Cloudinary SDK,",
        "           curl -I " + example(m, seeded) + "   (emulator)",
        "           curl -I " + viaProxy(m, example(m, seeded)) + "   (via DocShift)",
        "           ./docshift status --config " + m.configFile(),
        "  Stop:    Ctrl-C (data is kept; restart with the same --data)",
        "");
  }
}
