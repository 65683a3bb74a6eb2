package dev.replicator.batch;

import jakarta.inject.Singleton;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.UUID;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * A job's completion report as CSV ({@code
 * bucket,key,versionId,destinationBucket,status,failureReason}), read from the database a chunk at
 * a time while it is sent, so a report of millions of lines never sits in memory.
 */
@Singleton
public class CompletionReport {

  static final String[] HEADER = {
    "bucket", "key", "versionId", "destinationBucket", "status", "failureReason"
  };
  private static final int CHUNK = 1000;

  private final BatchJobStore store;

  public CompletionReport(BatchJobStore store) {
    this.store = store;
  }

  /** Opens the report of a job; the source bucket fills the {@code bucket} column. */
  public InputStream open(
      UUID tenantId, UUID jobId, String sourceBucket, BatchJob.ReportScope scope) {
    boolean recorded = store.resultsRecorded(tenantId, jobId);
    boolean failedOnly = scope == BatchJob.ReportScope.FAILED_TASKS_ONLY;
    return new SequenceInputStream(
        new Enumeration<>() {
          private UUID after = new UUID(0L, 0L);
          private boolean headerSent;
          private boolean done;

          @Override
          public boolean hasMoreElements() {
            return !done;
          }

          @Override
          public InputStream nextElement() {
            if (done) {
              throw new NoSuchElementException();
            }
            if (!headerSent) {
              headerSent = true;
              return bytes(List.of(), true, sourceBucket);
            }
            List<BatchJobStore.ReportRow> rows =
                store.reportRows(tenantId, jobId, recorded, failedOnly, after, CHUNK);
            done = rows.size() < CHUNK;
            if (!rows.isEmpty()) {
              after = rows.get(rows.size() - 1).taskId();
            }
            return bytes(rows, false, sourceBucket);
          }
        });
  }

  private static InputStream bytes(
      List<BatchJobStore.ReportRow> rows, boolean header, String bucket) {
    StringWriter text = new StringWriter();
    try (CSVPrinter printer =
        new CSVPrinter(text, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get())) {
      if (header) {
        printer.printRecord((Object[]) HEADER);
      }
      for (BatchJobStore.ReportRow row : rows) {
        printer.printRecord(
            bucket,
            row.key(),
            row.versionId(),
            row.destinationBucket(),
            row.status(),
            row.failureReason() == null ? "" : row.failureReason());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ByteArrayInputStream(text.toString().getBytes(StandardCharsets.UTF_8));
  }
}
