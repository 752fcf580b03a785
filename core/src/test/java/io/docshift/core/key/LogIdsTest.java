package io.docshift.core.key;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LogIdsTest {
  @Test
  void idsAreHashedUnlessTheOperatorAskedForThem() {
    String id = "demo/raw/upload/jane-doe-license.pdf";
    assertThat(LogIds.of(id, false)).startsWith("id:").hasSize(15).doesNotContain("jane");
    assertThat(LogIds.of(id, false)).isEqualTo(LogIds.hash(id));
    assertThat(LogIds.of(id, true)).isEqualTo(id);
    assertThat(LogIds.hash(id)).isNotEqualTo(LogIds.hash(id + "x"));
  }

  @Test
  void onlyAPlainYesTurnsClearIdsOn() {
    assertThat(LogIds.enabled("true")).isTrue();
    assertThat(LogIds.enabled(" 1 ")).isTrue();
    assertThat(LogIds.enabled(null)).isFalse();
    assertThat(LogIds.enabled("")).isFalse();
    assertThat(LogIds.enabled("false")).isFalse();
  }
}
