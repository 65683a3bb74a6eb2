package dev.replicator.platform.paging;

import dev.replicator.platform.problem.ApiException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.UUID;

/**
 * Opaque cursors: the id of the last item of the previous page, base64url-encoded with a version
 * prefix.
 */
public final class Cursor {

  private static final String PREFIX = "v1:";

  private Cursor() {}

  public static String encode(UUID lastId) {
    ByteBuffer bytes =
        ByteBuffer.allocate(16)
            .putLong(lastId.getMostSignificantBits())
            .putLong(lastId.getLeastSignificantBits());
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes.array()))
                .getBytes(StandardCharsets.US_ASCII));
  }

  public static UUID decode(String cursor) {
    try {
      String inner = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.US_ASCII);
      if (!inner.startsWith(PREFIX)) {
        throw new IllegalArgumentException("unknown cursor version");
      }
      ByteBuffer bytes =
          ByteBuffer.wrap(Base64.getUrlDecoder().decode(inner.substring(PREFIX.length())));
      if (bytes.remaining() != 16) {
        throw new IllegalArgumentException("wrong cursor length");
      }
      return new UUID(bytes.getLong(), bytes.getLong());
    } catch (IllegalArgumentException e) {
      throw ApiException.invalidField(
          "cursor",
          "is not a cursor this server issued; pass the nextCursor of the previous page unchanged");
    }
  }
}
