package dev.replicator.trust.verify;

import io.micronaut.serde.annotation.Serdeable;

/** One verification check: what was checked, whether it passed, and what to do if it did not. */
@Serdeable
public record Check(String name, boolean ok, String detail) {

  static Check pass(String name, String detail) {
    return new Check(name, true, detail);
  }

  static Check fail(String name, String detail) {
    return new Check(name, false, detail);
  }
}
