package io.docshift.core.key;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** {@link DocumentKey#bucket(int)}: seed 0 is the fixed sticky bucket, other seeds differ. */
class DocumentKeyBucketTest {
  @Test
  void seedZeroIsTheStickyBucketAndEverySeedStaysInRange() {
    IntStream.range(0, 2_000)
        .mapToObj(
            i -> DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "d/" + i, null))
        .forEach(
            key -> {
              assertThat(key.bucket(0)).isEqualTo(key.stickyBucket());
              assertThat(key.bucket(12345)).isBetween(0, 99);
            });
  }

  @Test
  void anotherSeedGivesAnotherBucketForMostDocuments() {
    long same =
        IntStream.range(0, 2_000)
            .mapToObj(
                i -> DocumentKey.of("demo", ResourceType.RAW, DeliveryType.UPLOAD, "d/" + i, null))
            .filter(key -> key.bucket(12345) == key.stickyBucket())
            .count();
    assertThat(same).isLessThan(60); // about 1 in 100 by chance
  }
}
