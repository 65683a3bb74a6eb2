package dev.replicator.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.trust.client.ResponseCapture;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.core.sync.ResponseTransformer;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A key's history as a server lists it — versions and delete markers interleaved, newest first,
 * read from the raw ListObjectVersions answer (the SDK's model splits the two) — and the check that
 * a destination holds the same history as the source: the same versions (by the replica stamp) and
 * markers, in the same order, the same one current, with the same bytes.
 */
public final class KeyHistory {

  /** A version or delete marker as listed. */
  public record Entry(String versionId, boolean deleteMarker, boolean latest) {}

  private KeyHistory() {}

  public static List<Entry> of(S3Client client, String bucket, String key) {
    ByteArrayOutputStream raw = new ByteArrayOutputStream();
    // The product's capture of raw answers, added to the test's client for this one request.
    client.listObjectVersions(
        b ->
            b.bucket(bucket)
                .prefix(key)
                .overrideConfiguration(
                    o -> {
                      ResponseCapture.into(o, raw);
                      o.addPlugin(
                          config ->
                              config.overrideConfiguration(
                                  c -> c.addExecutionInterceptor(new ResponseCapture())));
                    }));
    try {
      var document =
          DocumentBuilderFactory.newInstance()
              .newDocumentBuilder()
              .parse(new ByteArrayInputStream(raw.toByteArray()));
      boolean urlEncoded = "url".equals(text(document.getDocumentElement(), "EncodingType"));
      List<Entry> entries = new ArrayList<>();
      for (Node node = document.getDocumentElement().getFirstChild();
          node != null;
          node = node.getNextSibling()) {
        if (node instanceof Element element
            && (element.getLocalName() == null ? element.getTagName() : element.getLocalName())
                .matches("Version|DeleteMarker")) {
          String listedKey = text(element, "Key");
          if (urlEncoded) {
            listedKey = URLDecoder.decode(listedKey, StandardCharsets.UTF_8);
          }
          if (listedKey.equals(key)) {
            entries.add(
                new Entry(
                    text(element, "VersionId"),
                    element.getTagName().endsWith("DeleteMarker"),
                    "true".equals(text(element, "IsLatest"))));
          }
        }
      }
      return entries;
    } catch (Exception e) {
      throw new IllegalStateException("Could not read the version listing of " + key, e);
    }
  }

  private static String text(Element parent, String name) {
    for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
      if (node instanceof Element element && element.getTagName().endsWith(name)) {
        return element.getTextContent();
      }
    }
    return null;
  }

  /**
   * Asserts that {@code destination} holds {@code key}'s history as {@code source} has it: each
   * source version once, as a replica stamped with its version id and with its bytes, each delete
   * marker, in the same order, and the same entry current.
   */
  public static void assertReplicated(
      S3Client client, String source, String destination, String key) {
    assertReplicated(client, source, client, destination, key);
  }

  public static void assertReplicated(
      S3Client sourceClient,
      String source,
      S3Client destinationClient,
      String destination,
      String key) {
    List<String> expected = new ArrayList<>();
    for (Entry entry : of(sourceClient, source, key)) {
      expected.add(describe(entry, entry.versionId(), sourceClient, source, key));
    }
    List<String> actual = new ArrayList<>();
    for (Entry entry : of(destinationClient, destination, key)) {
      String stamp =
          entry.deleteMarker()
              ? null
              : destinationClient
                  .headObject(b -> b.bucket(destination).key(key).versionId(entry.versionId()))
                  .metadata()
                  .get("replicator-source-version-id");
      actual.add(describe(entry, stamp, destinationClient, destination, key));
    }
    assertThat(actual)
        .as("the history of %s at the destination, newest first, against the source's", key)
        .isEqualTo(expected);
  }

  private static String describe(
      Entry entry, String sourceVersionId, S3Client client, String bucket, String key) {
    String current = entry.latest() ? " (current)" : "";
    if (entry.deleteMarker()) {
      return "delete marker" + current;
    }
    byte[] bytes =
        client
            .getObject(
                b -> b.bucket(bucket).key(key).versionId(entry.versionId()),
                ResponseTransformer.toBytes())
            .asByteArray();
    return "version " + sourceVersionId + " " + content(bytes) + current;
  }

  /**
   * Short bodies as text; long ones (a multipart object's megabytes) by their size and MD5, to keep
   * messages readable.
   */
  private static String content(byte[] bytes) {
    if (bytes.length <= 64) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
    try {
      return bytes.length
          + " bytes, MD5 "
          + java.util.HexFormat.of()
              .formatHex(java.security.MessageDigest.getInstance("MD5").digest(bytes));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
