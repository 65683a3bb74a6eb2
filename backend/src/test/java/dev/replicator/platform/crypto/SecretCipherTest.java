package dev.replicator.platform.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretCipherTest {

  static final String KEY_A =
      Base64.getEncoder().encodeToString("A".repeat(32).getBytes(StandardCharsets.US_ASCII));
  static final String KEY_B =
      Base64.getEncoder().encodeToString("B".repeat(32).getBytes(StandardCharsets.US_ASCII));
  static final String CONTEXT = "replicator/v1/tenant/t1/trust/x1/secret-access-key";

  static SecretCipher cipher(String current, String previous) {
    return new SecretCipher(
        new MasterKeys(new MasterKeySettings(current, previous, false, "unused")));
  }

  @Test
  void aSealedSecretOpensWithItsContextAndHidesThePlaintext() {
    SecretCipher cipher = cipher(KEY_A, null);
    SealedSecret sealed = cipher.seal("wJalrXUtnFEMI/K7MDENG", CONTEXT);

    assertThat(new String(sealed.ciphertext(), StandardCharsets.ISO_8859_1))
        .doesNotContain("wJalrXUtnFEMI");
    assertThat(cipher.open(sealed, CONTEXT)).isEqualTo("wJalrXUtnFEMI/K7MDENG");
    assertThat(cipher.seal("wJalrXUtnFEMI/K7MDENG", CONTEXT).ciphertext())
        .isNotEqualTo(sealed.ciphertext());
  }

  @Test
  void aSecretMovedToAnotherTenantOrTrustDoesNotOpen() {
    SecretCipher cipher = cipher(KEY_A, null);
    SealedSecret sealed = cipher.seal("secret", CONTEXT);
    assertThatThrownBy(() -> cipher.open(sealed, CONTEXT.replace("t1", "t2")))
        .isInstanceOf(SecretUnavailableException.class)
        .hasMessageNotContaining("secret\"");
  }

  @Test
  void aTamperedSecretDoesNotOpen() {
    SecretCipher cipher = cipher(KEY_A, null);
    SealedSecret sealed = cipher.seal("secret", CONTEXT);
    byte[] tampered = sealed.ciphertext().clone();
    tampered[tampered.length - 1] ^= 1;
    assertThatThrownBy(
            () ->
                cipher.open(
                    new SealedSecret(sealed.masterKeyId(), sealed.wrappedDataKey(), tampered),
                    CONTEXT))
        .isInstanceOf(SecretUnavailableException.class);
  }

  @Test
  void rotationRewrapsTheDataKeyWithTheNewMasterKey() {
    SealedSecret underA = cipher(KEY_A, null).seal("secret", CONTEXT);
    SecretCipher rotating = cipher(KEY_B, KEY_A);

    assertThat(rotating.isCurrent(underA)).isFalse();
    assertThat(rotating.open(underA, CONTEXT)).isEqualTo("secret");
    SealedSecret underB = rotating.rewrap(underA, CONTEXT);

    assertThat(rotating.isCurrent(underB)).isTrue();
    assertThat(underB.ciphertext()).isEqualTo(underA.ciphertext());
    assertThat(cipher(KEY_B, null).open(underB, CONTEXT)).isEqualTo("secret");
  }

  @Test
  void aSecretUnderAnUnknownKeySaysWhichVariableToSet() {
    SealedSecret underA = cipher(KEY_A, null).seal("secret", CONTEXT);
    assertThatThrownBy(() -> cipher(KEY_B, null).open(underA, CONTEXT))
        .isInstanceOf(SecretUnavailableException.class)
        .hasMessageContaining("REPLICATOR_MASTER_KEY_PREVIOUS");
  }

  @Test
  void masterKeysMustBe32BytesOfBase64() {
    assertThatThrownBy(
            () -> new MasterKeys(new MasterKeySettings("c2hvcnQ=", null, false, "unused")))
        .hasMessageContaining("exactly 32 bytes")
        .hasMessageContaining("openssl rand -base64 32");
    assertThatThrownBy(
            () -> new MasterKeys(new MasterKeySettings("not base64!", null, false, "unused")))
        .hasMessageContaining("not valid base64");
    assertThatThrownBy(() -> new MasterKeys(new MasterKeySettings(null, null, false, "unused")))
        .hasMessageContaining("REPLICATOR_MASTER_KEY is not set");
  }
}
