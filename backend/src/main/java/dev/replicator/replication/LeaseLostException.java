package dev.replicator.replication;

/** The copy's task is no longer this worker's: it stops and writes nothing (see {@link Lease}). */
final class LeaseLostException extends RuntimeException {

  LeaseLostException() {
    super("The task's lease was lost; another worker owns it now", null, false, false);
  }
}
