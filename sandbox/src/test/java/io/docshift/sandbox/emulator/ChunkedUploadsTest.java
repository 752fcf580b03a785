package io.docshift.sandbox.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Chunk sessions: resends are idempotent, unknown totals wait for the last chunk. */
class ChunkAssemblerTest {
  @TempDir Path dir;

  @Test
  void resentChunkIsIdempotentAndUnknownTotalsWait() throws Exception {
    ChunkedUploads chunks = new ChunkedUploads(Files.createDirectories(dir.resolve("c")), dir);
    assertThat(accept(chunks, "bytes 0-4/-1", "hello").assembled()).isNull();
    assertThat(accept(chunks, "bytes 0-4/*", "hello").received()).isEqualTo(5);
    ChunkedUploads.Outcome done = accept(chunks, "bytes 5-10/11", " world");
    assertThat(done.assembled()).isNotNull();
    assertThat(Files.readString(done.assembled().path())).isEqualTo("hello world");
    assertThat(done.assembled().md5())
        .isEqualTo(TestData.md5("hello world".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void sizeMismatchAndBadIdsAreBadRequests() {
    ChunkedUploads chunks = new ChunkedUploads(dir, dir);
    assertThatThrownBy(() -> accept(chunks, "bytes 0-9/10", "short"))
        .hasMessageContaining("does not match Content-Range");
    assertThatThrownBy(() -> chunks.accept("../x", ChunkHeader.parse("bytes 0-0/1"), stage("a")))
        .hasMessageContaining("Invalid X-Unique-Upload-Id");
    assertThatThrownBy(() -> ChunkHeader.parse("bytes 5-1/10")).isInstanceOf(ApiException.class);
  }

  private ChunkedUploads.Outcome accept(ChunkedUploads chunks, String range, String text)
      throws Exception {
    return chunks.accept("session-1", ChunkHeader.parse(range), stage(text));
  }

  private StagedFile stage(String text) throws Exception {
    return StagedFile.copy(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), dir);
  }
}
