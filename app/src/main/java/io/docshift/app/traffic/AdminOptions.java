package io.docshift.app.traffic;

import io.docshift.app.cli.ConfigOptions;
import io.docshift.core.config.AdminConfig;
import io.docshift.core.config.DocShiftConfig;
import java.net.URI;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Where the admin API is and who is calling: from {@code admin.*} config, or the flags. */
final class AdminOptions {
  @Mixin ConfigOptions config;

  @Option(
      names = "--admin-url",
      paramLabel = "URL",
      description =
          "Admin API base URL (default: http(s)://admin.host:admin.port from the config).")
  URI adminUrl;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      description = "Bearer token (default: admin.token from the config).")
  String token;

  @Option(
      names = "--actor",
      paramLabel = "NAME",
      description =
          "Who you say you are (default: $USER); sent along, but the audit names the owner of"
              + " the token (admin.operatorTokens), not this.")
  String actor;

  AdminClient client() {
    DocShiftConfig loaded = adminUrl != null && token != null ? null : config.load();
    AdminConfig admin = loaded == null ? null : loaded.admin();
    // The admin listener speaks HTTPS when admin.tls.* is set; its certificate is checked against
    // the JDK's CAs.
    String scheme = loaded != null && loaded.adminTls().enabled() ? "https://" : "http://";
    URI base = adminUrl != null ? adminUrl : URI.create(scheme + host(admin) + ":" + admin.port());
    String bearer = token != null ? token : admin.token();
    String who = actor != null ? actor : System.getProperty("user.name", "cli");
    return new AdminClient(base, bearer, "cli:" + who);
  }

  private static String host(AdminConfig admin) {
    String host = admin.host();
    return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
  }
}
