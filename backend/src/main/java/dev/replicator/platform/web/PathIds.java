package dev.replicator.platform.web;

import dev.replicator.platform.problem.ApiException;
import java.util.UUID;

/**
 * Resource ids from URL paths. A malformed id names nothing, so it is a 404 like any unknown id.
 */
public final class PathIds {

  private PathIds() {}

  public static UUID parse(String value, String resource) {
    try {
      return UUID.fromString(value);
    } catch (IllegalArgumentException e) {
      throw ApiException.notFound(resource + " " + value);
    }
  }
}
