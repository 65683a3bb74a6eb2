package dev.replicator.platform.web;

import dev.replicator.platform.json.Timestamps;
import dev.replicator.platform.problem.ApiException;
import java.time.Instant;

/** Date-times that requests carry as text (query parameters, fields of free-form bodies). */
public final class RequestInstants {

  private RequestInstants() {}

  /** The instant {@code value} names, or a 400 saying what {@code field} must be. */
  public static Instant parse(String field, String value) {
    return Timestamps.parse(value)
        .orElseThrow(() -> ApiException.invalidField(field, Timestamps.EXPECTED));
  }
}
