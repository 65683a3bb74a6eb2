package dev.replicator.platform.crypto;

/**
 * A secret under envelope encryption: its own random data key encrypted the plaintext, and a master
 * key wrapped the data key. Both byte arrays are {@code nonce || AES-GCM ciphertext+tag}.
 *
 * @param masterKeyId which master key wrapped the data key
 */
public record SealedSecret(String masterKeyId, byte[] wrappedDataKey, byte[] ciphertext) {}
