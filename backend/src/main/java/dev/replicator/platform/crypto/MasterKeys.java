package dev.replicator.platform.crypto;

import io.micronaut.context.annotation.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master keys that wrap every secret's data key: {@code REPLICATOR_MASTER_KEY} (current) and,
 * during a rotation, {@code REPLICATOR_MASTER_KEY_PREVIOUS}. With the embedded database and no key
 * configured, a key is generated into the data directory (owner-only) so that the quick start
 * works; any other setup without a key refuses to start, because secrets sealed with an improvised
 * key would be lost with it.
 */
@Context
public class MasterKeys {

  static final String KEY_FILE = "master.key";
  private static final Logger LOG = LoggerFactory.getLogger(MasterKeys.class);
  private static final int KEY_BYTES = 32;

  private final MasterKey current;
  private final Optional<MasterKey> previous;

  /**
   * A master key and its id: the first 8 bytes of its SHA-256, stored beside each secret it wraps.
   */
  public record MasterKey(String id, SecretKey key) {}

  public MasterKeys(MasterKeySettings settings) {
    this.current =
        blank(settings.masterKey())
            ? embeddedKey(settings.embeddedDatabase(), Path.of(settings.dataDir()))
            : parse(settings.masterKey(), "REPLICATOR_MASTER_KEY");
    this.previous =
        blank(settings.masterKeyPrevious())
            ? Optional.empty()
            : Optional.of(parse(settings.masterKeyPrevious(), "REPLICATOR_MASTER_KEY_PREVIOUS"));
  }

  public MasterKey current() {
    return current;
  }

  public Optional<MasterKey> previous() {
    return previous;
  }

  public Optional<MasterKey> byId(String id) {
    if (current.id().equals(id)) {
      return Optional.of(current);
    }
    return previous.filter(key -> key.id().equals(id));
  }

  public static MasterKey parse(String base64, String variable) {
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(base64.strip());
    } catch (IllegalArgumentException e) {
      throw new IllegalStateException(variable + " is not valid base64. " + howToGenerate());
    }
    if (bytes.length != KEY_BYTES) {
      throw new IllegalStateException(
          variable
              + " must be base64 of exactly "
              + KEY_BYTES
              + " bytes; it has "
              + bytes.length
              + ". "
              + howToGenerate());
    }
    return new MasterKey(idOf(bytes), new SecretKeySpec(bytes, "AES"));
  }

  private static MasterKey embeddedKey(boolean embeddedDatabase, Path dataDir) {
    if (!embeddedDatabase) {
      throw new IllegalStateException(
          "REPLICATOR_MASTER_KEY is not set. It encrypts the S3 credentials Replicator stores; set it to "
              + "32 random bytes in base64 and keep a copy (losing it makes stored secrets unreadable). "
              + howToGenerate());
    }
    Path file = dataDir.resolve(KEY_FILE);
    try {
      if (Files.exists(file)) {
        return parse(Files.readString(file, StandardCharsets.US_ASCII), file.toString());
      }
      byte[] bytes = new byte[KEY_BYTES];
      new SecureRandom().nextBytes(bytes);
      Files.createDirectories(dataDir);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.writeString(file, Base64.getEncoder().encodeToString(bytes), StandardCharsets.US_ASCII);
      LOG.warn(
          "No REPLICATOR_MASTER_KEY is set: generated a master key into {} (readable by this user only). "
              + "Back it up with the data directory; for production set REPLICATOR_MASTER_KEY.",
          file);
      return new MasterKey(idOf(bytes), new SecretKeySpec(bytes, "AES"));
    } catch (IOException e) {
      throw new UncheckedIOException("Could not read or create the master key file " + file, e);
    }
  }

  private static String howToGenerate() {
    return "Generate one with: openssl rand -base64 32";
  }

  private static String idOf(byte[] key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(key);
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static boolean blank(String value) {
    return value == null || value.isBlank();
  }
}
