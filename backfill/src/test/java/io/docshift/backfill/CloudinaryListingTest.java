package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.CloudinaryAccount;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.sandbox.emulator.SeedRequest;
import io.docshift.testkit.CloudinaryEmulatorExtension;
import io.docshift.testkit.EmulatorAccount;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The listing {@code verify --enumerate} walks: every type, a prefix, stop on demand. */
class CloudinaryListingTest {
  @RegisterExtension
  static final CloudinaryEmulatorExtension CLD = new CloudinaryEmulatorExtension();

  @BeforeAll
  static void seed() {
    for (String type : List.of("upload", "private", "authenticated")) {
      for (int i = 0; i < 3; i++) {
        CLD.emulator()
            .seed(
                SeedRequest.builder()
                    .resourceType("raw")
                    .type(type)
                    .publicId("listing/" + type + "-" + i + ".bin")
                    .content(new ByteArrayInputStream(new byte[] {(byte) i, 1, 2}))
                    .build());
      }
    }
  }

  @Test
  void listsEveryTypeUnderThePrefixAsLedgerAssets() throws Exception {
    List<CloudinaryAsset> listed = new ArrayList<>();
    CloudinaryListing.create(EmulatorAccount.at(CLD.emulator().baseUrl()), 100)
        .forEach("listing/", listed::add);

    assertThat(listed).hasSize(9);
    assertThat(listed)
        .extracting(a -> a.key().type())
        .contains("upload", "private", "authenticated");
    assertThat(listed).allSatisfy(a -> assertThat(a.etag()).hasSize(32));
    assertThat(listed).allSatisfy(a -> assertThat(a.bytes()).isEqualTo(3));
  }

  @Test
  void theSinkCanStopTheWalk() throws Exception {
    List<CloudinaryAsset> listed = new ArrayList<>();
    CloudinaryListing.create(EmulatorAccount.at(CLD.emulator().baseUrl()), 100)
        .forEach("listing/", a -> listed.add(a) && listed.size() < 2);

    assertThat(listed).hasSize(2);
  }

  @Test
  void badCredentialsAreAnIoErrorNotARetryLoop() {
    CloudinaryAccount wrong = EmulatorAccount.at(CLD.emulator().baseUrl(), "not-the-secret");
    assertThatThrownBy(() -> CloudinaryListing.create(wrong, 100).forEach("", a -> true))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("401");
  }
}
