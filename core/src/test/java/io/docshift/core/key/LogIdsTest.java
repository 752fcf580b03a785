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

  @Test
  void redactionHidesTheIdAsIsAndUrlEncodedUnlessTheOperatorAskedForIt() {
    String id = "records/jane doe+1.pdf";
    String hash = LogIds.hash(id);
    String text =
        "cloudinary get demo/raw/upload/"
            + id
            + ": HTTP 404; GET /records%2Fjane+doe%2B1.pdf and /records/jane%20doe%2B1.pdf";

    String redacted = LogIds.redact(text, id, false);

    assertThat(redacted)
        .doesNotContain("jane")
        .startsWith("cloudinary get demo/raw/upload/" + hash + ": HTTP 404")
        .endsWith("GET /" + hash + " and /" + hash);
    assertThat(LogIds.redact(text, id, true)).isEqualTo(text);
    assertThat(LogIds.redact(null, id, false)).isNull();
  }
}
