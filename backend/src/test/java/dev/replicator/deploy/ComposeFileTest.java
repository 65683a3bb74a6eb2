package dev.replicator.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Guards the self-hosting files at the repository root: docker-compose.yml and the Dockerfile. The
 * structural checks always run; when docker-compose (v1) or {@code docker compose} (v2) is
 * installed, the real parser validates the file too. Needs neither a database nor a Docker engine.
 */
class ComposeFileTest {

  private static final Path ROOT = repositoryRoot();
  private static final Path COMPOSE = ROOT.resolve("docker-compose.yml");
  private static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
  private static final String DUMMY_MASTER_KEY = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

  @Test
  void composeRunsPostgresTheServerAndWorkers() throws IOException {
    Map<String, Object> compose = loadCompose();
    Map<String, Object> services = map(compose, "services");
    assertThat(services).containsKeys("postgres", "replicator", "worker", "minio-a", "minio-b");

    Map<String, Object> postgres = map(services, "postgres");
    assertThat(postgres).containsKey("healthcheck");
    assertThat(String.valueOf(map(postgres, "healthcheck").get("test"))).contains("pg_isready");
    assertThat(postgres).as("postgres stays off the host by default").doesNotContainKey("ports");
    String postgresVolume = namedVolumeOf(postgres, "/var/lib/postgresql/data");
    assertThat(map(compose, "volumes")).containsKey(postgresVolume);

    Map<String, Object> replicator = map(services, "replicator");
    Map<String, Object> dependsOn = map(replicator, "depends_on");
    assertThat(map(dependsOn, "postgres")).containsEntry("condition", "service_healthy");
    assertThat(list(replicator, "ports")).containsExactly("${REPLICATOR_PORT:-8080}:8080");

    for (String name : List.of("postgres", "replicator", "worker", "minio-a", "minio-b")) {
      assertThat(map(services, name))
          .as("%s restarts", name)
          .containsEntry("restart", "unless-stopped");
    }
  }

  @Test
  void serverAndWorkersRunTheSameImageWithTheirOwnRoles() throws IOException {
    Map<String, Object> services = map(loadCompose(), "services");
    Map<String, Object> replicator = map(services, "replicator");
    Map<String, Object> worker = map(services, "worker");

    for (Map<String, Object> service : List.of(replicator, worker)) {
      assertThat(buildsFromTheDockerfile(service))
          .as("builds from the repository's Dockerfile")
          .isTrue();
    }
    assertThat(worker.get("image")).isEqualTo(replicator.get("image"));

    Map<String, String> replicatorEnv = environment(replicator);
    Map<String, String> workerEnv = environment(worker);
    assertThat(replicatorEnv).containsEntry("REPLICATOR_ROLES", "api,scheduler");
    assertThat(workerEnv).containsEntry("REPLICATOR_ROLES", "worker");

    assertThat(worker)
        .as("scalable: --scale worker=N")
        .doesNotContainKeys("container_name", "ports");
    assertThat(map(map(worker, "depends_on"), "postgres"))
        .containsEntry("condition", "service_healthy");

    for (Map<String, String> env : List.of(replicatorEnv, workerEnv)) {
      assertThat(env.get("DATASOURCE_URL")).startsWith("jdbc:postgresql://postgres:5432/");
      assertThat(env)
          .containsKeys("DATASOURCE_USERNAME", "DATASOURCE_PASSWORD", "REPLICATOR_ADMIN_TOKEN");
      assertThat(env.get("REPLICATOR_MASTER_KEY"))
          .as("REPLICATOR_MASTER_KEY is required, with a message saying how to make one")
          .matches("\\$\\{REPLICATOR_MASTER_KEY:\\?.*openssl rand -base64 32.*}");
    }
  }

  @Test
  void minioStoresAreDemoOnlyAndOnTheAllowlistedNetwork() throws IOException {
    Map<String, Object> compose = loadCompose();
    Map<String, Object> services = map(compose, "services");

    for (String name : List.of("postgres", "replicator", "worker")) {
      assertThat(map(services, name))
          .as("%s runs without a profile", name)
          .doesNotContainKey("profiles");
    }

    Map<String, Object> demoNetwork = map(map(compose, "networks"), "demo");
    List<Object> ipamConfig = list(map(demoNetwork, "ipam"), "config");
    String subnet = String.valueOf(((Map<?, ?>) ipamConfig.get(0)).get("subnet"));
    assertThat(subnet).as("a fixed subnet").matches("\\d+\\.\\d+\\.\\d+\\.\\d+/\\d+");

    for (String name : List.of("minio-a", "minio-b")) {
      Map<String, Object> minio = map(services, name);
      assertThat(list(minio, "profiles")).containsExactly("demo");
      assertThat(String.valueOf(minio.get("image"))).contains("minio/minio");
      assertThat(String.valueOf(minio.get("command"))).startsWith("server /data");
      assertThat(minio).containsKey("healthcheck");
      assertThat(list(minio, "networks")).containsExactly("demo");
      assertThat(namedVolumeOf(minio, "/data")).isNotBlank();
    }

    for (String name : List.of("replicator", "worker")) {
      Map<String, Object> service = map(services, name);
      assertThat(list(service, "networks")).contains("default", "demo");
      assertThat(environment(service).get("REPLICATOR_ALLOWED_ENDPOINT_CIDRS"))
          .as("%s may reach the demo stores", name)
          .contains(subnet);
    }
    assertThat(list(map(services, "postgres"), "networks"))
        .as("the database is not on the network tenants' endpoints may reach")
        .doesNotContain("demo");
  }

  @Test
  void dockerfileBuildsTheJarAndRunsItUnprivilegedWithAHealthCheck() throws IOException {
    List<String> instructions = dockerInstructions(Files.readString(DOCKERFILE));
    List<List<String>> stages = stages(instructions);
    assertThat(stages).as("a build stage and a runtime stage").hasSizeGreaterThanOrEqualTo(2);

    String build = String.join("\n", stages.get(0));
    assertThat(build)
        .contains("--mount=type=cache,target=/root/.m2")
        .contains("package")
        .contains("-DskipTests");

    List<String> runtime = stages.get(stages.size() - 1);
    assertThat(runtime.get(0)).startsWith("FROM eclipse-temurin:17-jre");
    assertThat(runtime)
        .anyMatch(i -> i.startsWith("COPY --from=") && i.endsWith("/app/replicator.jar"));
    assertThat(runtime)
        .anyMatch(i -> i.startsWith("ENTRYPOINT [\"java\"") && i.contains("/app/replicator.jar"));
    assertThat(runtime).anyMatch(i -> i.startsWith("HEALTHCHECK") && i.contains("/health"));
    assertThat(runtime).contains("EXPOSE 8080");

    List<String> users = runtime.stream().filter(i -> i.startsWith("USER ")).toList();
    assertThat(users).as("the runtime stage switches to a user").isNotEmpty();
    String user = users.get(users.size() - 1).substring("USER ".length()).trim().split(":")[0];
    assertThat(user).as("a non-root user").isNotIn("root", "0");
  }

  /**
   * The compose implementations installed here must accept the file, and must refuse it without a
   * master key. On a machine without Docker's tools there is nothing to run: the structural tests
   * above still apply.
   */
  @Test
  void composeImplementationsAcceptTheFile() throws Exception {
    List<List<String>> implementations = installedComposeCommands();
    if (implementations.isEmpty()) {
      System.out.println(
          "ComposeFileTest: no docker-compose or `docker compose` on PATH; structural checks only.");
      return;
    }
    Path emptyEnvFile = Files.createTempFile("compose", ".env");
    try {
      for (List<String> compose : implementations) {
        List<String> config = new ArrayList<>(compose);
        config.addAll(
            List.of(
                "-f",
                COMPOSE.toString(),
                "--env-file",
                emptyEnvFile.toString(),
                "--profile",
                "demo",
                "config",
                "-q"));

        Result accepted = run(config, Map.of("REPLICATOR_MASTER_KEY", DUMMY_MASTER_KEY));
        assertThat(accepted.exitCode())
            .as("%s failed:%n%s", String.join(" ", config), accepted.output())
            .isZero();

        Result refused = run(config, Map.of());
        assertThat(refused.exitCode())
            .as(
                "%s must fail without REPLICATOR_MASTER_KEY:%n%s",
                String.join(" ", config), refused.output())
            .isNotZero();
        assertThat(refused.output()).contains("REPLICATOR_MASTER_KEY");
      }
    } finally {
      Files.deleteIfExists(emptyEnvFile);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  private static Path repositoryRoot() {
    String configured = System.getProperty("replicator.repository.root");
    Path root =
        configured != null && !configured.isBlank()
            ? Path.of(configured)
            : Path.of("").toAbsolutePath().getParent(); // tests run in backend/
    return root.toAbsolutePath().normalize();
  }

  private static Map<String, Object> loadCompose() throws IOException {
    try (InputStream in = Files.newInputStream(COMPOSE)) {
      Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(in);
      assertThat(document).as("%s is a YAML mapping", COMPOSE).isInstanceOf(Map.class);
      @SuppressWarnings("unchecked")
      Map<String, Object> compose = (Map<String, Object>) document;
      return compose;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Map<String, Object> parent, String key) {
    assertThat(parent).containsKey(key);
    Object value = parent.get(key);
    assertThat(value).as("'%s' is a mapping", key).isInstanceOf(Map.class);
    return (Map<String, Object>) value;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Map<String, Object> parent, String key) {
    assertThat(parent).containsKey(key);
    Object value = parent.get(key);
    assertThat(value).as("'%s' is a list", key).isInstanceOf(List.class);
    return (List<Object>) value;
  }

  /** A service's environment, whether written as a mapping or as a list of KEY=value. */
  private static Map<String, String> environment(Map<String, Object> service) {
    Object value = service.get("environment");
    Map<String, String> env = new LinkedHashMap<>();
    if (value instanceof Map<?, ?> entries) {
      entries.forEach((k, v) -> env.put(String.valueOf(k), v == null ? null : String.valueOf(v)));
    } else if (value instanceof List<?> entries) {
      for (Object entry : entries) {
        String[] pair = String.valueOf(entry).split("=", 2);
        env.put(pair[0], pair.length == 2 ? pair[1] : null);
      }
    } else {
      fail("service has no environment: " + service);
    }
    return env;
  }

  /** The named (not bind-mounted) volume a service mounts at the given container path. */
  private static String namedVolumeOf(Map<String, Object> service, String containerPath) {
    for (Object volume : list(service, "volumes")) {
      String[] parts = String.valueOf(volume).split(":");
      if (parts.length >= 2 && parts[1].equals(containerPath)) {
        assertThat(parts[0])
            .as("a named volume, not a host path")
            .doesNotContain("/")
            .doesNotStartWith(".");
        return parts[0];
      }
    }
    return fail("nothing is mounted at " + containerPath + " in " + service);
  }

  private static boolean buildsFromTheDockerfile(Map<String, Object> service) {
    Object build = service.get("build");
    if (build instanceof String context) {
      return isRoot(context);
    }
    if (build instanceof Map<?, ?> spec) {
      Object dockerfile = spec.get("dockerfile");
      return isRoot(String.valueOf(spec.get("context")))
          && (dockerfile == null || "Dockerfile".equals(dockerfile));
    }
    return false;
  }

  private static boolean isRoot(String context) {
    return context.equals(".") || context.equals("./");
  }

  /**
   * The Dockerfile's instructions, one per entry, with continuation lines joined and comments
   * dropped.
   */
  private static List<String> dockerInstructions(String dockerfile) {
    List<String> instructions = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String raw : dockerfile.split("\\R")) {
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      boolean continued = line.endsWith("\\");
      current.append(continued ? line.substring(0, line.length() - 1).strip() : line).append(' ');
      if (!continued) {
        instructions.add(current.toString().strip());
        current.setLength(0);
      }
    }
    if (!current.isEmpty()) {
      instructions.add(current.toString().strip());
    }
    return instructions;
  }

  private static List<List<String>> stages(List<String> instructions) {
    List<List<String>> stages = new ArrayList<>();
    for (String instruction : instructions) {
      if (instruction.toUpperCase().startsWith("FROM ")) {
        stages.add(new ArrayList<>());
      }
      if (!stages.isEmpty()) {
        stages.get(stages.size() - 1).add(instruction);
      }
    }
    return stages;
  }

  // --- running the compose implementations
  // ------------------------------------------------------------------------

  private record Result(int exitCode, String output) {}

  private static List<List<String>> installedComposeCommands() throws Exception {
    List<List<String>> commands = new ArrayList<>();
    if (onPath("docker-compose")) {
      commands.add(List.of("docker-compose"));
    }
    if (onPath("docker")
        && run(List.of("docker", "compose", "version"), Map.of()).exitCode() == 0) {
      commands.add(List.of("docker", "compose"));
    }
    return commands;
  }

  private static boolean onPath(String executable) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String directory : path.split(File.pathSeparator)) {
      if (!directory.isBlank() && Files.isExecutable(Path.of(directory, executable))) {
        return true;
      }
    }
    return false;
  }

  /**
   * Runs a command in the repository root with this process's environment minus any master key,
   * plus extra.
   */
  private static Result run(List<String> command, Map<String, String> extraEnvironment)
      throws Exception {
    Path output = Files.createTempFile("compose", ".out");
    try {
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(ROOT.toFile())
              .redirectErrorStream(true)
              .redirectOutput(output.toFile());
      builder.environment().remove("REPLICATOR_MASTER_KEY");
      builder.environment().putAll(extraEnvironment);
      Process process = builder.start();
      if (!process.waitFor(2, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        fail(String.join(" ", command) + " did not finish within 2 minutes");
      }
      return new Result(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    } finally {
      Files.deleteIfExists(output);
    }
  }
}
