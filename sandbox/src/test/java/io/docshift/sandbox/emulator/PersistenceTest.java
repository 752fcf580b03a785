package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Assets survive a restart on the same data directory. */
class PersistenceTest {

  @Test
  void restartKeepsAssetsAndVersions(@TempDir Path dataDir, @TempDir Path tmp) throws Exception {
    byte[] pdf = TestData.pdf("persist");
    Path file = Files.write(tmp.resolve("cert.pdf"), pdf);
    StoredAsset stored;
    try (CloudinaryEmulator first = start(dataDir)) {
      stored = first.seed(cert(file));
      assertThat(stored.format()).isEqualTo("pdf");
      assertThat(TestData.get(stored.secureUrl().toString()).body()).isEqualTo(pdf);
    }
    try (CloudinaryEmulator second = start(dataDir)) {
      HttpResponse<byte[]> r = TestData.get(onPort(stored, second.port()));
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(pdf);
      StoredAsset again = second.seed(cert(file));
      assertThat(again.version()).isGreaterThan(stored.version());
      assertThat(again.assetId()).isEqualTo(stored.assetId());
    }
  }

  private static CloudinaryEmulator start(Path dataDir) {
    return CloudinaryEmulator.start(EmulatorConfig.builder().dataDir(dataDir).build());
  }

  /** An authenticated PDF whose public id needs URL encoding. */
  private static SeedRequest cert(Path file) {
    return SeedRequest.builder().type("authenticated").publicId("certs/a b+c").file(file).build();
  }

  /** The second run binds another ephemeral port; everything else in the URL stays valid. */
  private static String onPort(StoredAsset asset, int port) {
    String url = asset.secureUrl().toString();
    return url.replace(":" + asset.secureUrl().getPort() + "/", ":" + port + "/");
  }
}
