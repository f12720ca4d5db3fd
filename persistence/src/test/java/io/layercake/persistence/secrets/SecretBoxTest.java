package io.layercake.persistence.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;
import org.junit.jupiter.api.Test;

/** AES-GCM with a random nonce per value, bound to where the value is stored; plain legacy values read as they are. */
class SecretBoxTest {
  private static final String TOKEN = "EAAG-a-whatsapp-access-token-0123456789";
  private final SecretBox box = new SecretBox(key(1));

  @Test
  void aSealedValueOpensOnlyWhereItBelongs() {
    String sealed = box.seal(TOKEN, "channel_accounts/org-a/whatsapp");

    assertThat(sealed).startsWith("enc:v1:" + box.keyId() + ":").doesNotContain(TOKEN);
    assertThat(SecretBox.isSealed(sealed)).isTrue();
    assertThat(box.open(sealed, "channel_accounts/org-a/whatsapp")).isEqualTo(TOKEN);
    assertThatThrownBy(() -> box.open(sealed, "channel_accounts/org-b/whatsapp"))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("does not decrypt")
        .hasMessageNotContaining(TOKEN);
  }

  @Test
  void everyValueHasItsOwnNonce() {
    String first = box.seal(TOKEN, "here");
    String second = box.seal(TOKEN, "here");

    assertThat(first).isNotEqualTo(second);
    byte[] bytes = Base64.getDecoder().decode(first.substring(first.lastIndexOf(':') + 1));
    assertThat(bytes).hasSize(12 + TOKEN.length() + 16);
  }

  @Test
  void anAlteredValueOrAnotherKeyIsAClearError() {
    String sealed = box.seal(TOKEN, "here");
    // Flip one bit of the ciphertext itself: a changed Base64 character can fall on padding bits the
    // decoder ignores (the old version of this test let one sealed value in four through unaltered).
    int colon = sealed.lastIndexOf(':') + 1;
    byte[] bytes = Base64.getDecoder().decode(sealed.substring(colon));
    bytes[bytes.length / 2] ^= 1;
    String altered = sealed.substring(0, colon) + Base64.getEncoder().encodeToString(bytes);
    SecretBox other = new SecretBox(key(2));

    assertThatThrownBy(() -> box.open(altered, "here")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("altered");
    assertThatThrownBy(() -> other.open(sealed, "here")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("encrypted with another key (id " + box.keyId());
  }

  @Test
  void aPlainValueStoredBeforeEncryptionReadsAsItIs() {
    assertThat(SecretBox.isSealed(TOKEN)).isFalse();
    assertThat(box.open(TOKEN, "here")).isEqualTo(TOKEN);
  }

  @Test
  void onlyA256BitKeyIsAccepted() {
    assertThatThrownBy(() -> new SecretBox(new byte[16])).isInstanceOf(IllegalArgumentException.class);
  }

  private static byte[] key(int seed) {
    byte[] key = new byte[32];
    for (int i = 0; i < key.length; i++) {
      key[i] = (byte) (seed * 31 + i);
    }
    return key;
  }
}
