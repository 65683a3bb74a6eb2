package dev.replicator.platform;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;
import java.util.UUID;

/**
 * Time-ordered identifiers (UUID version 7): sorting by id is sorting by creation time, which is
 * what cursor pagination and index locality rely on. Rows created in SQL (a batch job's tasks,
 * webhook deliveries) take theirs from the database's {@code time_ordered_uuid()} (V009), the same
 * layout; no other id generator is used.
 */
public final class Ids {

  private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

  private Ids() {}

  public static UUID next() {
    return GENERATOR.generate();
  }
}
