package io.docshift.sandbox.seed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.BitSet;
import org.junit.jupiter.api.Test;

class OwnerIdsTest {
  @Test
  void isAPermutationOfTheWholeIdSpace() {
    OwnerIds ids = new OwnerIds(42);
    BitSet seen = new BitSet(OwnerIds.SPACE);
    for (int number = 0; number < OwnerIds.SPACE; number++) {
      seen.set(ids.id(number));
    }
    assertThat(seen.cardinality()).isEqualTo(OwnerIds.SPACE);
  }

  @Test
  void consecutiveOwnersDoNotGetConsecutiveIds() {
    OwnerIds ids = new OwnerIds(7);
    assertThat(ids.id(1) - ids.id(0)).isNotEqualTo(ids.id(2) - ids.id(1));
    assertThat(new OwnerIds(8).id(0)).isNotEqualTo(ids.id(0));
  }

  @Test
  void rejectsNumbersOutsideTheSpace() {
    assertThatThrownBy(() -> new OwnerIds(1).id(OwnerIds.SPACE))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("owner number: 1000000 (expected: 0..999999)");
  }
}
