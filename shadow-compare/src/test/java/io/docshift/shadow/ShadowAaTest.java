package io.docshift.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.config.ShadowMode;
import io.docshift.core.outcome.Backend;
import io.docshift.sandbox.emulator.StoredAsset;
import io.docshift.sandbox.seed.DemoCorpus;
import io.docshift.sandbox.seed.SeedDocument;
import io.docshift.sandbox.seed.SizeProfile;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmbeddedS3Extension;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A/A mode on the sandbox's demo corpus (public, private and authenticated PDFs and scans): every
 * read Cloudinary served is read from Cloudinary again and compared. The comparison must be
 * noise-free before A/B results are trusted: zero mismatches.
 */
class ShadowAaTest {
  static final int DOCUMENTS = 40;

  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @RegisterExtension static final EmbeddedS3Extension S3 = new EmbeddedS3Extension();

  @Test
  void theDemoCorpusComparedWithItselfShowsNoMismatch() throws Exception {
    List<StoredAsset> corpus = seed();
    try (ShadowFixture fx =
        new ShadowFixture(CLD.emulator(), S3.s3(), s -> s.mode(ShadowMode.AA))) {
      for (StoredAsset a : corpus) {
        ShadowFixture.Read read = fx.read(a);
        assertThat(read.served().backend()).isEqualTo(Backend.CLOUDINARY);
        assertThat(read.body()).hasSize((int) a.bytes());
      }
      assertThat(fx.tally.awaitTotal(DOCUMENTS))
          .containsExactlyEntriesOf(Map.of("matched/none", DOCUMENTS));

      StoredAsset onS3 = corpus.get(0);
      fx.copyToS3(onS3, fx.read(onS3).body(), "application/octet-stream");
      fx.weight(100);
      assertThat(fx.read(onS3).served().backend()).isEqualTo(Backend.S3);
      assertThat(fx.tally.awaitTotal(DOCUMENTS + 2)).containsEntry("ignored/s3-served", 1);
    }
  }

  private static List<StoredAsset> seed() throws Exception {
    List<StoredAsset> seeded = new ArrayList<>();
    for (SeedDocument doc : DemoCorpus.of(20_260_101L, DOCUMENTS, SizeProfile.DEMO)) {
      try (InputStream content = doc.open()) {
        seeded.add(CLD.emulator().seed(doc.seedRequest(content)));
      }
    }
    assertThat(seeded).extracting(StoredAsset::type).contains("upload", "private", "authenticated");
    return seeded;
  }
}
