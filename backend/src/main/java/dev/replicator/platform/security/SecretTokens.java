package dev.replicator.platform.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Bearer secrets (API tokens, session ids, the generated administrator token): 256 random bits with
 * a readable prefix that tells what kind of secret it is. Only their SHA-256 is stored; a salt or
 * slow hash is not needed for secrets of this entropy, and a plain hash lets the lookup use an
 * index.
 */
public final class SecretTokens {

  public static final String API_TOKEN_PREFIX = "rpl_";
  public static final String SESSION_PREFIX = "rps_";
  public static final String ADMIN_TOKEN_PREFIX = "rpa_";

  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretTokens() {}

  public static String generate(String prefix) {
    byte[] bytes = new byte[32];
    RANDOM.nextBytes(bytes);
    return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  public static byte[] hash(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }

  public static boolean sameHash(byte[] a, byte[] b) {
    return a != null && b != null && MessageDigest.isEqual(a, b);
  }
}
