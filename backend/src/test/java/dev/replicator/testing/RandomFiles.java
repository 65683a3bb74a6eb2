package dev.replicator.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/** Large test objects written to disk (never held in memory) and the MD5s to compare copies by. */
public final class RandomFiles {

  private RandomFiles() {}

  /** Writes {@code size} pseudo-random bytes and returns their MD5 in hex. */
  public static String write(Path file, long size, long seed) throws IOException {
    Random random = new Random(seed);
    byte[] chunk = new byte[1024 * 1024];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += chunk.length) {
        random.nextBytes(chunk);
        out.write(chunk, 0, (int) Math.min(chunk.length, size - written));
      }
    }
    try (InputStream in = Files.newInputStream(file)) {
      return md5(in);
    }
  }

  public static String md5(InputStream in) throws IOException {
    try {
      MessageDigest digest = MessageDigest.getInstance("MD5");
      try (DigestInputStream stream = new DigestInputStream(in, digest)) {
        stream.transferTo(OutputStream.nullOutputStream());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
