package dev.replicator.platform.roles;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The roles this process plays ({@code REPLICATOR_ROLES}): {@code api} serves the REST API and the
 * dashboard, {@code scheduler} plans work, {@code worker} copies objects. One jar plays any
 * combination; a process with only {@code worker} scales out horizontally. Validated at start-up so
 * that a typo fails loudly instead of silently starting a process that does nothing.
 */
@Context
public class ProcessRoles {

  public static final String PROPERTY = "replicator.roles";
  public static final String DEFAULT = "api,scheduler,worker";
  static final String API_PATTERN = "(?i)(.*,)?\\s*api\\s*(,.*)?";
  static final String SCHEDULER_PATTERN = "(?i)(.*,)?\\s*scheduler\\s*(,.*)?";
  static final String WORKER_PATTERN = "(?i)(.*,)?\\s*worker\\s*(,.*)?";
  private static final Set<String> KNOWN = Set.of("api", "scheduler", "worker");
  private static final Logger LOG = LoggerFactory.getLogger(ProcessRoles.class);

  private final Set<String> roles;

  public ProcessRoles(@Value("${" + PROPERTY + ":" + DEFAULT + "}") String configured) {
    this.roles = parse(configured);
    LOG.info("Process roles: {}", String.join(",", roles));
  }

  static Set<String> parse(String configured) {
    Set<String> roles =
        Arrays.stream(configured.split(","))
            .map(String::trim)
            .map(String::toLowerCase)
            .filter(r -> !r.isEmpty())
            .collect(Collectors.toCollection(LinkedHashSet::new));
    Set<String> unknown =
        roles.stream().filter(r -> !KNOWN.contains(r)).collect(Collectors.toSet());
    if (roles.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalStateException(
          "REPLICATOR_ROLES must be a comma-separated list of api, scheduler and worker; got '"
              + configured
              + "'.");
    }
    return roles;
  }

  public boolean has(String role) {
    return roles.contains(role);
  }
}
