package dev.replicator.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reading HTTP/1.1 message bodies off a socket for the test proxies: fixed-length and chunked,
 * relayed or dropped.
 */
final class HttpBodies {

  private HttpBodies() {}

  static void copy(InputStream in, OutputStream out, long length) throws IOException {
    byte[] buffer = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
      if (read < 0) {
        throw new IOException("connection closed inside a body, " + left + " bytes short");
      }
      if (out != null) {
        out.write(buffer, 0, read);
      }
      left -= read;
    }
  }

  static void copyChunked(InputStream in, OutputStream out) throws IOException {
    while (true) {
      String sizeLine = line(in);
      write(out, sizeLine + "\r\n");
      int extension = sizeLine.indexOf(';');
      long size =
          Long.parseLong((extension < 0 ? sizeLine : sizeLine.substring(0, extension)).trim(), 16);
      if (size == 0) {
        String trailer;
        do {
          trailer = line(in);
          write(out, trailer + "\r\n");
        } while (!trailer.isEmpty());
        return;
      }
      copy(in, out, size + 2);
    }
  }

  static void write(OutputStream out, String text) throws IOException {
    if (out != null) {
      out.write(text.getBytes(StandardCharsets.ISO_8859_1));
    }
  }

  static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    int previous = -1;
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed inside a chunk header");
      }
      if (previous == '\r' && b == '\n') {
        byte[] bytes = line.toByteArray();
        return new String(bytes, 0, bytes.length - 1, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
      previous = b;
    }
  }
}
