package io.docshift.write;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.ledger.LedgerKey;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenameParamsTest {
  @Test
  void typeDefaultsToUploadAndToTypeToType() {
    RenameParams r =
        RenameParams.required(Map.of("from_public_id", List.of("a"), "to_public_id", List.of("b")));

    assertThat(r).isEqualTo(new RenameParams("a", "b", "upload", "upload", false));
    assertThat(r.fromKey("demo", "raw")).isEqualTo(new LedgerKey("demo", "raw", "upload", "a"));
    assertThat(
            RenameParams.required(
                Map.of(
                    "from_public_id", List.of("a"),
                    "to_public_id", List.of("b"),
                    "type", List.of("private"),
                    "overwrite", List.of("true"))))
        .isEqualTo(new RenameParams("a", "b", "private", "private", true));
    assertThat(
            RenameParams.required(
                Map.of(
                    "from_public_id", List.of("a"),
                    "to_public_id", List.of("b"),
                    "type", List.of(""),
                    "to_type", List.of("authenticated"))))
        .isEqualTo(new RenameParams("a", "b", "upload", "authenticated", false));
  }

  @Test
  void aMissingOrBlankIdIsCloudinarysBadRequest() {
    for (Map<String, List<String>> params :
        List.of(
            Map.of("from_public_id", List.of("a")),
            Map.of("to_public_id", List.of("b")),
            Map.of("from_public_id", List.of(" "), "to_public_id", List.of("b")),
            Map.of("from_public_id", List.of("a"), "to_public_id", List.of("")))) {
      assertThat(RenameParams.of(params)).as("%s", params).isEmpty();
      assertThatThrownBy(() -> RenameParams.required(params))
          .isInstanceOfSatisfying(BadUpload.class, e -> assertThat(e.status()).isEqualTo(400))
          .hasMessageContaining("Missing required parameter - from_public_id, to_public_id");
    }
  }
}
