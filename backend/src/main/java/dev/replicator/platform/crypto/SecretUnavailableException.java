package dev.replicator.platform.crypto;

/**
 * A stored secret cannot be decrypted with the configured master keys. The message names no secret
 * material.
 */
public class SecretUnavailableException extends RuntimeException {

  public SecretUnavailableException(String message) {
    super(message);
  }
}
