package io.docshift.copier;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.digest.Digests;
import io.docshift.core.store.DocumentMeta;
import io.docshift.ledger.CloudinaryAsset;
import io.docshift.ledger.DocumentRecord;
import io.docshift.ledger.LedgerKey;
import io.docshift.ledger.S3Copy;
import io.docshift.ledger.S3State;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * An S3 object without a version claim, as a dual-write to a new document puts it before Cloudinary
 * names the version: held as the row's version when the row recorded its MD5 with that version,
 * replaced otherwise, and never newer than anything.
 */
class InspectionTest {
  private static final String MD5 = "0123456789abcdef0123456789abcdef";
  private static final String OTHER_MD5 = "fedcba9876543210fedcba9876543210";
  private static final String SHA = "a".repeat(64);
  private static final long VERSION = 1_700_000_000L;
  private static final LedgerKey KEY = new LedgerKey("demo", "image", "upload", "a/b");

  @Test
  void anUnclaimedObjectTheRowRecordedWithItsVersionIsHeld() {
    Inspection seen = Inspection.of(unclaimed(MD5), row(VERSION, MD5), Trust.PLAIN);

    assertThat(seen.kind()).isEqualTo(Inspection.Kind.HELD);
    assertThat(seen.sha256()).isEqualTo(SHA);
  }

  @Test
  void anUnclaimedObjectWithOtherBytesThanRecordedIsReplacedOnItsEtag() {
    Inspection seen = Inspection.of(unclaimed(OTHER_MD5), row(VERSION, MD5), Trust.PLAIN);

    assertThat(seen.kind()).isEqualTo(Inspection.Kind.REPLACE);
    assertThat(seen.condition().requireEtag()).contains("\"" + OTHER_MD5 + "\"");
  }

  @Test
  void anUnclaimedObjectRecordedForAnOlderVersionIsReplacedNotHeld() {
    Inspection seen = Inspection.of(unclaimed(MD5), row(VERSION - 5, MD5), Trust.PLAIN);

    assertThat(seen.kind()).isEqualTo(Inspection.Kind.REPLACE);
  }

  @Test
  void aWriterHoldingTheUnclaimedObjectsBytesFindsThemHeld() {
    Inspection seen = Inspection.forBytes(unclaimed(MD5), VERSION, new Digests(10, null, MD5, SHA));

    assertThat(seen.kind()).isEqualTo(Inspection.Kind.HELD);
  }

  @Test
  void anUnclaimedObjectIsNeverNewer() {
    Inspection seen =
        Inspection.forBytes(unclaimed(OTHER_MD5), VERSION, new Digests(10, null, MD5, SHA));

    assertThat(seen.kind()).isEqualTo(Inspection.Kind.REPLACE);
  }

  private static Optional<DocumentMeta> unclaimed(String md5) {
    return Optional.of(
        new DocumentMeta(
            OptionalLong.of(10),
            "application/pdf",
            Optional.of(md5),
            Optional.of(SHA),
            OptionalLong.empty(),
            Optional.empty()));
  }

  /** A row for Cloudinary's {@link #VERSION}, whose S3 copy was recorded as {@code s3Version}. */
  private static DocumentRecord row(long s3Version, String md5) {
    Instant now = Instant.now();
    return new DocumentRecord(
        1,
        new CloudinaryAsset(KEY, "pdf", VERSION, MD5, 10),
        new S3Copy(S3State.VERIFIED, s3Version, md5, SHA),
        null,
        null,
        0,
        Optional.empty(),
        now,
        now);
  }
}
