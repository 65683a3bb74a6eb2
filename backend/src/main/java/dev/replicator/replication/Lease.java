package dev.replicator.replication;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A claimed task's lease as its copy sees it. The worker renews leases in the background; when a
 * renewal finds the lease gone (another worker took the task over) or renewals fail for so long
 * that the lease may have expired, the copy stops at its next step or read with {@link
 * LeaseLostException} and writes nothing more.
 */
final class Lease {

  private final Clock clock;
  private final Duration margin;
  private volatile Instant heldUntil;
  private volatile boolean lost;

  /**
   * {@code margin} is how long before the lease's end a copy stops when renewals fail (clock skew
   * between workers).
   */
  Lease(Clock clock, Instant claimedAt, Duration lease, Duration margin) {
    this.clock = clock;
    this.margin = margin;
    this.heldUntil = claimedAt.plus(lease).minus(margin);
  }

  void renewed(Instant at, Duration lease) {
    heldUntil = at.plus(lease).minus(margin);
  }

  void lose() {
    lost = true;
  }

  boolean held() {
    return !lost && clock.instant().isBefore(heldUntil);
  }

  /** Throws {@link LeaseLostException} when the task is no longer this worker's. */
  void ensureHeld() {
    if (!held()) {
      throw new LeaseLostException();
    }
  }

  /** A stream that stops being readable when the lease is lost, so an upload in progress fails. */
  InputStream guard(InputStream stream) {
    return new FilterInputStream(stream) {
      @Override
      public int read() throws IOException {
        ensureHeld();
        return super.read();
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        ensureHeld();
        return super.read(buffer, offset, length);
      }
    };
  }

  /** Whether {@code error} or one of its causes is a lost lease. */
  static boolean lostIn(Throwable error) {
    for (Throwable cause = error; cause != null; cause = cause.getCause()) {
      if (cause instanceof LeaseLostException) {
        return true;
      }
    }
    return false;
  }
}
