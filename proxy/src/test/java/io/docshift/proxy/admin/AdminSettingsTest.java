package io.docshift.proxy.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.docshift.core.config.AdminConfig;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API's settings: defaults, values checked as they are set, and no shared state. */
class AdminSettingsTest extends AdminFixture {
  @Test
  void theDefaultsServeLoopbackOnAFreePortAndRefuseEveryToken() {
    AdminSettings settings = AdminSettings.builder(control, ledger).build();

    assertThat(settings.host()).isEqualTo("127.0.0.1");
    assertThat(settings.port()).isZero();
    assertThat(settings.tokensByOwner()).isEmpty();
    assertThat(settings.metrics().get()).isEmpty();
    assertThat(settings.graphql()).isNull();
    assertThat(settings.listenerAccepting().getAsBoolean()).isTrue();
    assertThat(settings.tls()).isEmpty();
    assertThat(settings.registry()).isNull();
  }

  @ParameterizedTest
  @ValueSource(ints = {-1, 65_536})
  void aPortOutOfRangeIsRefused(int port) {
    assertThatThrownBy(() -> AdminSettings.builder(control, ledger).listen("127.0.0.1", port))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("port: " + port);
  }

  @Test
  void aBlankHostIsRefused() {
    assertThatThrownBy(() -> AdminSettings.builder(control, ledger).listen(" ", 8081))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("host");
  }

  @Test
  void aSharedTokenBelongsToTheSharedOwnerAndAnEmptyOneToNobody() {
    assertThat(AdminSettings.builder(control, ledger).token("t").build().tokensByOwner())
        .isEqualTo(Map.of(AdminConfig.SHARED_OWNER, "t"));
    assertThat(AdminSettings.builder(control, ledger).token("").build().tokensByOwner()).isEmpty();
  }

  @Test
  void theSettingsKeepTheirOwnCopyOfTheTokens() {
    Map<String, String> tokens = new HashMap<>(Map.of("alice", "a"));
    AdminSettings settings = AdminSettings.builder(control, ledger).tokensByOwner(tokens).build();
    tokens.put("mallory", "m");

    assertThat(settings.tokensByOwner()).isEqualTo(Map.of("alice", "a"));
  }
}
