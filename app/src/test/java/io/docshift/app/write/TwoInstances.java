package io.docshift.app.write;

import com.cloudinary.Cloudinary;
import io.docshift.core.config.WriteMode;
import io.docshift.traffic.control.TrafficChange;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;

/**
 * The setup of the tests that write through one instance and read through another: two DocShift
 * instances on one ledger (H2, or an embedded PostgreSQL), writes {@code DUAL_CLOUDINARY_PRIMARY},
 * S3 read weight 100.
 */
final class TwoInstances {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  /** What a test does with instance A (the rig's own, {@link WriteRig#proxyUrl}) and B. */
  @FunctionalInterface
  interface Scenario {
    void run(WriteRig rig, URI b) throws Exception;
  }

  private TwoInstances() {}

  /** Runs {@code scenario} with both instances on one H2 ledger under {@code dir}. */
  static void onH2(Path dir, Scenario scenario) throws Exception {
    try (WriteRig rig = WriteRig.start(dir, Map.of())) {
      run(rig, scenario);
    }
  }

  /** Runs {@code scenario} with both instances on one embedded PostgreSQL ledger. */
  static void onPostgres(Path dir, Scenario scenario) throws Exception {
    try (EmbeddedPostgres postgres = EmbeddedPostgres.start();
        WriteRig rig = WriteRig.start(dir, WriteRig.ledgerOn(postgres))) {
      run(rig, scenario);
    }
  }

  private static void run(WriteRig rig, Scenario scenario) throws Exception {
    URI b = rig.startSecondNode();
    rig.mode(WriteMode.DUAL_CLOUDINARY_PRIMARY);
    rig.traffic(TrafficChange.builder().s3ReadPercent(100).build());
    scenario.run(rig, b);
  }

  /** A read of {@code doc}'s original through {@code node}. */
  static HttpResponse<byte[]> read(WriteRig rig, URI node, Doc doc) throws Exception {
    URI url = URI.create(node + "/" + rig.stores().cloud() + "/" + doc.path());
    return HTTP.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
  }

  /** The Cloudinary SDK, with the sandbox account, through {@code node}. */
  static Cloudinary sdk(WriteRig rig, URI node) {
    return new Cloudinary(
        WriteRig.cloudinaryUrl(
            rig.stores().config().cloudinary(),
            rig.stores().config().cloudinary().apiSecret(),
            node));
  }
}
