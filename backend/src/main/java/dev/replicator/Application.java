package dev.replicator;

import dev.replicator.platform.database.DatabaseBootstrap;
import io.micronaut.runtime.Micronaut;

/**
 * Starts Replicator: the API, the scheduler and the workers, as {@code REPLICATOR_ROLES} selects.
 */
public final class Application {

  private Application() {}

  public static void main(String[] args) {
    DatabaseBootstrap.prepare(System.getenv());
    Micronaut.build(args).mainClass(Application.class).banner(false).start();
  }
}
