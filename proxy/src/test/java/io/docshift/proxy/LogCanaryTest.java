package io.docshift.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.AutoRevertSettings;
import io.docshift.core.config.StoreSettings;
import io.docshift.core.config.WriteMode;
import io.docshift.proxy.admin.AdminServer;
import io.docshift.proxy.admin.AdminSettings;
import io.docshift.stores.cloudinary.CloudinarySigner;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import io.docshift.testkit.LogCanary;
import io.docshift.traffic.TrafficState;
import io.docshift.traffic.control.TrafficControl;
import io.docshift.traffic.control.TrafficControlState;
import io.docshift.traffic.ff4j.Ff4jTrafficStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * An upload, reads from both stores, refused and bad uploads and admin calls, all carrying canary
 * values: not one log line (message, key-values or stack trace) may contain the public id, the API
 * secret, the S3 secret key, a signature or an admin token.
 */
@Timeout(120)
class LogCanaryTest {
  private static final String PUBLIC_ID = "canary-jane-doe-4711";
  private static final String ADMIN_TOKEN = "canary-admin-token";
  private static final String GUESSED_TOKEN = "canary-guessed-token";

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @TempDir Path spool;
  private final HttpClient http = HttpClient.newHttpClient();
  private LogCanary lines;

  @BeforeEach
  void capture() {
    lines = LogCanary.start();
  }

  @AfterEach
  void release() {
    lines.close();
  }

  @Test
  void noLogLineCarriesAPublicIdASecretASignatureOrAToken() throws Exception {
    String signature;
    try (ReadPathFixture fx =
        new ReadPathFixture(
            CLD.emulator(),
            S3.s3(),
            S3.s3().endpoint(),
            Map.of("proxy.spoolDir", spool.toString()))) {
      fx.traffic.update(s -> new TrafficState(0, WriteMode.DUAL_CLOUDINARY_PRIMARY, 100));
      CloudinarySigner signer =
          CloudinarySigner.of(StoreSettings.cloudinaryAccount(fx.config.cloudinary()));
      String timestamp = Long.toString(System.currentTimeMillis() / 1000);
      signature = signer.signParams(Map.of("public_id", PUBLIC_ID, "timestamp", timestamp));

      assertThat(upload(fx, timestamp, signature).statusCode()).isEqualTo(200);
      assertThat(upload(fx, timestamp, "0".repeat(40)).statusCode()).isEqualTo(401);
      assertThat(get(fx.url("/demo/raw/upload/" + PUBLIC_ID)).statusCode()).isEqualTo(200);
      fx.weight(100);
      assertThat(get(fx.url("/demo/raw/upload/" + PUBLIC_ID)).statusCode()).isEqualTo(200);
      assertThat(get(fx.url("/demo/raw/upload/" + PUBLIC_ID + "-missing")).statusCode())
          .isEqualTo(404);
      admin(fx);
    }

    assertThat(lines.lineCount()).as("the run logged something to check").isPositive();
    assertThat(
            lines.leaks(
                List.of(
                    PUBLIC_ID,
                    CloudinaryEmulatorExtension.API_SECRET,
                    EmbeddedS3Extension.SECRET_KEY,
                    signature,
                    ADMIN_TOKEN,
                    GUESSED_TOKEN)))
        .isEmpty();
  }

  private HttpResponse<String> upload(ReadPathFixture fx, String timestamp, String signature)
      throws Exception {
    HttpRequest request =
        SignedUploads.request(fx, PUBLIC_ID, timestamp, signature, "the canary document");
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> get(URI uri) throws Exception {
    return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void admin(ReadPathFixture fx) throws Exception {
    TrafficControl control =
        TrafficControl.builder(
                Ff4jTrafficStore.open(
                    fx.ledger.dataSource(),
                    TrafficControlState.initial(
                        fx.traffic.current(), AutoRevertSettings.defaults())),
                fx.ledger.audit())
            .executor(Runnable::run)
            .build();
    try (AdminServer admin =
        AdminServer.start(
            AdminSettings.builder(control, fx.ledger)
                .tokensByOwner(Map.of("ops", ADMIN_TOKEN))
                .build())) {
      for (String token : List.of(GUESSED_TOKEN, ADMIN_TOKEN)) {
        HttpRequest request =
            HttpRequest.newBuilder(URI.create(admin.baseUrl() + "/admin/traffic"))
                .header("Authorization", "Bearer " + token)
                .build();
        http.send(request, HttpResponse.BodyHandlers.ofString());
      }
    }
  }
}
