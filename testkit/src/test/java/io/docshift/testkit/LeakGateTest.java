package io.docshift.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Proves the gate can fail: a buffer dropped without release is reported. */
class LeakGateTest {

  @Test
  void aDroppedBufferIsRecordedAsALeak() {
    leakOneBuffer();
    List<String> leaks = new ArrayList<>();
    for (int i = 0; i < 20 && leaks.isEmpty(); i++) {
      System.gc();
      PooledByteBufAllocator.DEFAULT.directBuffer(1).release();
      leaks.addAll(RecordingLeakDetector.drain());
    }
    // Drained here, so the gate itself stays green for this class.
    assertThat(leaks).isNotEmpty();
    assertThat(leaks.get(0)).startsWith("LEAK: ByteBuf");
  }

  private static void leakOneBuffer() {
    ByteBuf leaked = PooledByteBufAllocator.DEFAULT.directBuffer(16);
    leaked.writeInt(42);
  }
}
