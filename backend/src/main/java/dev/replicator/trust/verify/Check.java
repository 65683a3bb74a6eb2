package dev.replicator.trust.verify;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One verification check: what was checked, its outcome, and what to do if it failed. {@code ok} is
 * false only when the check found something to fix (or could not run because an earlier check did);
 * a check the store's answer could not decide is {@link State#UNDETERMINED} and stays {@code ok},
 * with the store's answer in {@code detail}.
 */
@Serdeable
public record Check(String name, boolean ok, State state, String detail) {

  /** A check's outcome. */
  public enum State {
    /** The store showed that what the check looks for is in place. */
    PASSED,
    /** The store refused, or showed something that must be fixed. */
    FAILED,
    /** The store's answer (a server error, an unsupported call) is no evidence either way. */
    UNDETERMINED,
    /** Not run, because a check it depends on failed. */
    NOT_CHECKED
  }

  static Check pass(String name, String detail) {
    return new Check(name, true, State.PASSED, detail);
  }

  static Check fail(String name, String detail) {
    return new Check(name, false, State.FAILED, detail);
  }

  static Check undetermined(String name, String detail) {
    return new Check(name, true, State.UNDETERMINED, detail);
  }

  static Check notChecked(String name) {
    return new Check(
        name,
        false,
        State.NOT_CHECKED,
        "Not checked: an earlier check failed; fix it and verify again.");
  }
}
