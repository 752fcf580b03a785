package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.docshift.core.store.DocumentMeta;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/**
 * Which SHA-256 an S3 object has: its metadata's, else, for a streamed copy (no {@code sha256} in
 * its metadata), the ledger's only when the ledger recorded the object's MD5.
 */
class S3CopyTest {
  static final String MD5 = "0123456789abcdef0123456789abcdef";
  static final String OTHER_MD5 = "fedcba9876543210fedcba9876543210";
  static final String SHA = "a".repeat(64);
  static final String OBJECT_SHA = "b".repeat(64);
  static final S3Copy RECORDED = new S3Copy(S3State.VERIFIED, 7L, MD5, SHA);

  static DocumentMeta object(Optional<String> md5, Optional<String> sha256) {
    return new DocumentMeta(
        OptionalLong.of(10), "application/pdf", md5, sha256, OptionalLong.of(7), Optional.empty());
  }

  @Test
  void anObjectThatCarriesASha256KeepsItsOwn() {
    assertThat(RECORDED.sha256Of(object(Optional.of(MD5), Optional.of(OBJECT_SHA))))
        .contains(OBJECT_SHA);
  }

  @Test
  void aStreamedCopyTakesTheLedgersSha256WhenTheLedgerRecordedItsMd5() {
    assertThat(RECORDED.sha256Of(object(Optional.of(MD5), Optional.empty()))).contains(SHA);
    S3Copy upperCase = new S3Copy(S3State.VERIFIED, 7L, MD5.toUpperCase(), SHA);
    assertThat(upperCase.sha256Of(object(Optional.of(MD5), Optional.empty()))).contains(SHA);
  }

  @Test
  void anObjectWithoutASha256IsVouchedForByNothingElse() {
    assertThat(RECORDED.sha256Of(object(Optional.of(OTHER_MD5), Optional.empty()))).isEmpty();
    assertThat(RECORDED.sha256Of(object(Optional.empty(), Optional.empty()))).isEmpty();
    assertThat(S3Copy.NONE.sha256Of(object(Optional.of(MD5), Optional.empty()))).isEmpty();
    S3Copy md5Only = new S3Copy(S3State.MISMATCH, 7L, MD5, null);
    assertThat(md5Only.sha256Of(object(Optional.of(MD5), Optional.empty()))).isEmpty();
  }
}
