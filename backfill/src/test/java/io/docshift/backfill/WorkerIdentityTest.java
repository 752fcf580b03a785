package io.docshift.backfill;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkerIdentityTest {
  @TempDir Path dir;

  @Test
  void aRestartedProcessGetsTheSameNameAndTwoRunningOnesNever() throws Exception {
    String first;
    String second;
    try (WorkerIdentity a = WorkerIdentity.claim(dir);
        WorkerIdentity b = WorkerIdentity.claim(dir)) {
      first = a.id();
      second = b.id();
      assertThat(first).isNotEqualTo(second).matches("[a-z0-9.-]+-[0-9a-f]{8}");
    }
    try (WorkerIdentity again = WorkerIdentity.claim(dir)) {
      assertThat(again.id()).isEqualTo(first);
      assertThat(Files.readString(dir.resolve("backfill-worker-1.id")).strip()).isEqualTo(first);
      try (WorkerIdentity other = WorkerIdentity.claim(dir)) {
        assertThat(other.id()).isEqualTo(second);
      }
    }
  }

  @Test
  void theStateDirectoryIsCreated() {
    Path nested = dir.resolve("a/b");
    try (WorkerIdentity identity = WorkerIdentity.claim(nested)) {
      assertThat(nested.resolve("backfill-worker-1.id")).exists();
      assertThat(identity.id()).isNotBlank();
    }
  }
}
