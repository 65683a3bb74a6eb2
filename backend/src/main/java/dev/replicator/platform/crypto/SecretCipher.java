package dev.replicator.platform.crypto;

import jakarta.inject.Singleton;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Envelope encryption with AES-256-GCM. Each secret gets a fresh data key; the master key only ever
 * wraps data keys. The caller's context (tenant and owner ids) is bound as associated data to both
 * layers, so a sealed secret copied to another row or tenant does not decrypt.
 */
@Singleton
public class SecretCipher {

  private static final String AES_GCM = "AES/GCM/NoPadding";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final MasterKeys masterKeys;

  public SecretCipher(MasterKeys masterKeys) {
    this.masterKeys = masterKeys;
  }

  public SealedSecret seal(String plaintext, String context) {
    byte[] dataKey = new byte[32];
    RANDOM.nextBytes(dataKey);
    try {
      MasterKeys.MasterKey master = masterKeys.current();
      byte[] ciphertext =
          encrypt(
              new SecretKeySpec(dataKey, "AES"),
              plaintext.getBytes(StandardCharsets.UTF_8),
              context);
      return new SealedSecret(master.id(), encrypt(master.key(), dataKey, context), ciphertext);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  public String open(SealedSecret sealed, String context) {
    byte[] dataKey = unwrap(sealed, context);
    try {
      return new String(
          decrypt(new SecretKeySpec(dataKey, "AES"), sealed.ciphertext(), context),
          StandardCharsets.UTF_8);
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  public boolean isCurrent(SealedSecret sealed) {
    return masterKeys.current().id().equals(sealed.masterKeyId());
  }

  /** Re-wraps the data key with the current master key; the secret's ciphertext stays as it is. */
  public SealedSecret rewrap(SealedSecret sealed, String context) {
    byte[] dataKey = unwrap(sealed, context);
    try {
      MasterKeys.MasterKey master = masterKeys.current();
      return new SealedSecret(
          master.id(), encrypt(master.key(), dataKey, context), sealed.ciphertext());
    } finally {
      Arrays.fill(dataKey, (byte) 0);
    }
  }

  private byte[] unwrap(SealedSecret sealed, String context) {
    MasterKeys.MasterKey master =
        masterKeys
            .byId(sealed.masterKeyId())
            .orElseThrow(
                () ->
                    new SecretUnavailableException(
                        "A stored secret was sealed with master key "
                            + sealed.masterKeyId()
                            + ", which is neither REPLICATOR_MASTER_KEY nor "
                            + "REPLICATOR_MASTER_KEY_PREVIOUS. Set REPLICATOR_MASTER_KEY_PREVIOUS to the key used before the change."));
    return decrypt(master.key(), sealed.wrappedDataKey(), context);
  }

  private static byte[] encrypt(SecretKey key, byte[] plaintext, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = Cipher.getInstance(AES_GCM);
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plaintext);
      return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is not available", e);
    }
  }

  private static byte[] decrypt(SecretKey key, byte[] sealed, String context) {
    try {
      Cipher cipher = Cipher.getInstance(AES_GCM);
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, sealed, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(sealed, NONCE_BYTES, sealed.length - NONCE_BYTES);
    } catch (GeneralSecurityException e) {
      throw new SecretUnavailableException(
          "A stored secret could not be decrypted: it was altered, moved, or sealed with another master key.");
    }
  }
}
