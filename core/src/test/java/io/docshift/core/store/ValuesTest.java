package io.docshift.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.outcome.Backend;
import io.docshift.core.outcome.Outcome;
import io.docshift.testkit.TestBodies;
import java.net.ConnectException;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** Value types of the store API: ranges, metadata, requests, exceptions. */
class ValuesTest {
  private static final String MD5 = "0123456789abcdef0123456789abcdef";

  @Test
  void byteRangesParseAndRender() {
    assertThat(ByteRange.parse("bytes=0-99")).contains(ByteRange.closed(0, 99));
    assertThat(ByteRange.parse("bytes=100-")).contains(ByteRange.from(100));
    assertThat(ByteRange.parse(" BYTES=-5 ")).contains(ByteRange.suffix(5));
    assertThat(ByteRange.closed(3, 4).toHeaderValue()).isEqualTo("bytes=3-4");
    assertThat(ByteRange.from(7).toHeaderValue()).isEqualTo("bytes=7-");
    assertThat(ByteRange.suffix(9).toHeaderValue()).isEqualTo("bytes=-9");
    assertThat(ByteRange.suffix(9).first()).isEmpty();
    assertThat(ByteRange.suffix(9).suffixLength()).hasValue(9);
  }

  @Test
  void unsupportedRangesParseToEmpty() {
    assertThat(ByteRange.parse("bytes=0-1,5-6")).isEmpty();
    assertThat(ByteRange.parse("items=0-1")).isEmpty();
    assertThat(ByteRange.parse("bytes=5-1")).isEmpty();
    assertThat(ByteRange.parse("bytes=x-")).isEmpty();
    assertThat(ByteRange.parse("bytes=-0")).isEmpty();
    assertThatThrownBy(() -> ByteRange.closed(5, 1)).hasMessageContaining("range: 5-1 (expected: ");
  }

  @Test
  void contentRangesParseAndValidate() {
    assertThat(ContentRange.parse("bytes 0-99/1000")).contains(new ContentRange(0, 99, 1000));
    assertThat(new ContentRange(0, 99, 1000).length()).isEqualTo(100);
    assertThat(new ContentRange(0, 99, 1000).toHeaderValue()).isEqualTo("bytes 0-99/1000");
    assertThat(ContentRange.parse("bytes 0-99/*")).isEmpty();
    assertThat(ContentRange.parse(null)).isEmpty();
    assertThatThrownBy(() -> new ContentRange(0, 100, 100))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void etagsAreReadOnlyWhenTheyArePlainMd5() {
    assertThat(DocumentMeta.md5FromEtag("\"" + MD5.toUpperCase() + "\"")).contains(MD5);
    assertThat(DocumentMeta.md5FromEtag(MD5)).contains(MD5);
    assertThat(DocumentMeta.md5FromEtag("\"" + MD5 + "-3\"")).isEmpty();
    assertThat(DocumentMeta.md5FromEtag("W/\"" + MD5 + "\"")).isEmpty();
    assertThat(DocumentMeta.md5FromEtag(null)).isEmpty();
  }

  @Test
  void metaServesTheQuotedMd5AsEtagAndRejectsBadDigests() {
    DocumentMeta meta =
        new DocumentMeta(
            OptionalLong.of(3),
            "application/pdf",
            Optional.of(MD5),
            Optional.empty(),
            OptionalLong.empty(),
            Optional.of(Instant.EPOCH));

    assertThat(meta.etag()).contains("\"" + MD5 + "\"");
    assertThatThrownBy(
            () ->
                new DocumentMeta(
                    OptionalLong.of(-1),
                    "x",
                    Optional.empty(),
                    Optional.empty(),
                    OptionalLong.empty(),
                    Optional.empty()))
        .hasMessageContaining("length: -1 (expected: >= 0)");
    assertThatThrownBy(
            () -> PutRequest.builder(1, TestBodies.chunked(new byte[1], 1)).md5Hex("ABC").build())
        .hasMessageContaining("md5Hex: ABC (expected: lowercase hex of 32)");
  }

  @Test
  void storeExceptionsClassifyOnceAndUnwrap() {
    StoreException wrapped =
        StoreException.wrap(
            Backend.S3, "get", "k", new CompletionException(new ConnectException("refused")));

    assertThat(wrapped.outcome()).isEqualTo(Outcome.S3_CONNECT);
    assertThat(wrapped.backend()).isEqualTo(Backend.S3);
    assertThat(wrapped).hasMessageContaining("s3 get k: s3_connect");
    assertThat(StoreException.wrap(Backend.CLOUDINARY, "x", "y", new CompletionException(wrapped)))
        .isSameAs(wrapped);
  }
}
