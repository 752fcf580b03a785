package io.docshift.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@code delete_token}s: stored by one instance, found by another, expiring as Cloudinary's do. */
abstract class DeleteTokensContract extends LedgerFixture {
  @Test
  void aTokenStoredThroughOneLedgerIsFoundThroughAnotherUntilForgotten() {
    Ledger other = open();
    ledger.deleteTokens().remember("tok-1", key("a"));

    assertThat(other.deleteTokens().find("tok-1")).contains(key("a"));
    assertThat(other.deleteTokens().find("tok-2")).isEmpty();

    other.deleteTokens().forget("tok-1");
    assertThat(ledger.deleteTokens().find("tok-1")).isEmpty();
    assertThat(ledger.deleteTokens().count()).isZero();
  }

  @Test
  void aTokenExpiresAfterTenMinutesAndIsPrunedWhenAnotherIsStored() {
    ledger.deleteTokens().remember("old", key("a"));
    clock.advance(DeleteTokenRows.TOKEN_LIFE.minus(Duration.ofSeconds(1)));
    assertThat(ledger.deleteTokens().find("old")).contains(key("a"));

    clock.advance(Duration.ofSeconds(1));
    assertThat(ledger.deleteTokens().find("old")).as("expired").isEmpty();
    assertThat(ledger.deleteTokens().count()).as("kept until pruned").isEqualTo(1);

    ledger.deleteTokens().remember("new", key("b"));
    assertThat(ledger.deleteTokens().count()).as("pruned").isEqualTo(1);
    assertThat(ledger.deleteTokens().find("new")).contains(key("b"));
  }

  @Test
  void theTokenItselfIsNeverStored() {
    ledger.deleteTokens().remember("secret-token-value", key("a"));
    ledger.deleteTokens().remember("secret-token-value", key("b"));

    assertThat(ledger.deleteTokens().count()).as("stored again, not twice").isEqualTo(1);
    assertThat(ledger.deleteTokens().find("secret-token-value")).contains(key("b"));
    assertThat(ledger.deleteTokens().find(sha256Hex("secret-token-value"))).isEmpty();
  }

  private static String sha256Hex(String s) {
    try {
      return java.util.HexFormat.of()
          .formatHex(
              java.security.MessageDigest.getInstance("SHA-256")
                  .digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
