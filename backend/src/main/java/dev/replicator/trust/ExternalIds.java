package dev.replicator.trust;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * External IDs for role trusts. Generated here, unique and unguessable, so that one tenant cannot
 * name another tenant's role and ID and have Replicator assume it on its behalf (the
 * confused-deputy problem).
 */
final class ExternalIds {

  private static final SecureRandom RANDOM = new SecureRandom();

  private ExternalIds() {}

  static String generate() {
    byte[] bytes = new byte[24];
    RANDOM.nextBytes(bytes);
    return "replicator-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
