package io.docshift.proxy.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The per-step check of a growing body, on {@link SpoolGuard} with a given free space; the 507
 * answers it leads to are shown end to end by the proxy's {@code SpoolReserveTest}.
 */
class SpoolGuardTest {
  /** Any directory: the given free space does not look at it. */
  private static final Path SPOOL = Path.of("spool");

  @Test
  void aGrowingBodyMustLeaveRoomForItsNextStep() {
    SpoolGuard guard = new SpoolGuard(1_000, dir -> 1_000 + SpoolGuard.STEP);
    assertThat(guard.roomFor(SPOOL, SpoolGuard.STEP)).isTrue();
    assertThat(guard.roomFor(SPOOL, SpoolGuard.STEP + 1)).isFalse();
    assertThat(guard.roomFor(SPOOL, -1)).as("no length declared").isTrue();
    assertThat(SpoolGuard.due(0, SpoolGuard.STEP - 1)).isFalse();
    assertThat(SpoolGuard.due(SpoolGuard.STEP - 1, SpoolGuard.STEP)).isTrue();
    assertThat(SpoolGuard.due(SpoolGuard.STEP, 2 * SpoolGuard.STEP - 1)).isFalse();
  }
}
