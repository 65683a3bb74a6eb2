package dev.replicator.batch;

import io.micronaut.core.annotation.Nullable;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Reads an S3 Batch Operations CSV manifest: one {@code bucket,key[,versionId]} line per object
 * version, keys URL-encoded as S3 Inventory writes them. Lines are read one at a time, so a
 * manifest of any size streams.
 */
public final class ManifestCsv implements Iterator<ManifestCsv.Line>, AutoCloseable {

  /**
   * One manifest line; {@code number} counts from 1. A line that cannot be used carries its {@code
   * problem}.
   */
  public record Line(
      long number,
      String bucket,
      String key,
      @Nullable String versionId,
      @Nullable String problem) {}

  private final Reader reader;
  private final Iterator<CSVRecord> records;
  private final String expectedBucket;

  public ManifestCsv(Reader reader, String expectedBucket) {
    this.reader = reader;
    this.expectedBucket = expectedBucket;
    try {
      this.records =
          CSVFormat.RFC4180
              .builder()
              .setIgnoreEmptyLines(true)
              .setTrim(true)
              .get()
              .parse(reader)
              .iterator();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public boolean hasNext() {
    try {
      return records.hasNext();
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new IllegalArgumentException("The manifest is not valid CSV: " + e.getMessage(), e);
    }
  }

  @Override
  public Line next() {
    if (!hasNext()) {
      throw new NoSuchElementException();
    }
    CSVRecord record;
    try {
      record = records.next();
    } catch (UncheckedIOException | IllegalStateException e) {
      throw new IllegalArgumentException("The manifest is not valid CSV: " + e.getMessage(), e);
    }
    long number = record.getRecordNumber();
    if (record.size() < 2 || record.size() > 3) {
      return new Line(
          number,
          "",
          "",
          null,
          "has " + record.size() + " fields; expected bucket,key or bucket,key,versionId");
    }
    if (record.stream().anyMatch(field -> field.indexOf('\0') >= 0)) {
      return new Line(number, "", "", null, "holds the character U+0000 (NUL)");
    }
    String bucket = record.get(0);
    String key;
    try {
      key = URLDecoder.decode(record.get(1), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return new Line(
          number, bucket, record.get(1), null, "has a key that is not URL-encoded correctly");
    }
    if (key.indexOf('\0') >= 0) {
      return new Line(
          number,
          bucket,
          record.get(1),
          null,
          "has a key with %00 (U+0000), which no S3 key holds");
    }
    String versionId = record.size() == 3 && !record.get(2).isEmpty() ? record.get(2) : null;
    if (key.isEmpty()) {
      return new Line(number, bucket, key, versionId, "has an empty key");
    }
    if (!bucket.equals(expectedBucket)) {
      return new Line(
          number,
          bucket,
          key,
          versionId,
          "names bucket '" + bucket + "', not the rule's source bucket '" + expectedBucket + "'");
    }
    return new Line(number, bucket, key, versionId, null);
  }

  @Override
  public void close() {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
