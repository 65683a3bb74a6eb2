package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replicator.rule.Rule;
import dev.replicator.rule.RuleService;
import dev.replicator.testing.Api;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The queue itself, with competing claimers and no workers running (an api-only process). */
class TaskQueueIT {

  static TestServer server;
  static TaskQueue queue;
  static Rule rule;
  static Api admin;
  static String tenant;
  static String trust;
  static TestS3 s3;

  @BeforeAll
  static void start() {
    s3 = TestS3.get();
    Map<String, Object> config = new HashMap<>(TestServer.LOOPBACK_ALLOWED);
    config.put("replicator.roles", "api");
    server = TestServer.start(config);
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    trust = Fixtures.trust(admin, tenant, s3.trustBody("s3"));
    queue = server.context().getBean(TaskQueue.class);
    rule = stored(ruleId("queue"));
  }

  /** Creates a rule that never scans, to a bucket that need not exist; returns its id. */
  private static String ruleId(String name) {
    return Fixtures.rule(
            admin,
            tenant,
            Fixtures.ruleBody(
                name, 0, trust, s3.bucket(true), Fixtures.destination(trust, "replica-bucket")))
        .get("id")
        .asText();
  }

  /** The rule {@code id} as the rule service has it. */
  private static Rule stored(String id) {
    return server
        .context()
        .getBean(RuleService.class)
        .get(UUID.fromString(tenant), UUID.fromString(id));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  static SourceVersion version(String key, int n) {
    return new SourceVersion(
        key,
        "v-" + key + "-" + n,
        false,
        1L,
        null,
        Instant.parse("2026-01-01T00:00:00Z").plusSeconds(n));
  }

  /**
   * A batch of tasks larger than the queue's statistics know of has them refreshed (ANALYZE), so
   * that the claim is not planned for a near-empty table; once fresh they are left alone.
   */
  @Test
  void theQueuesStatisticsAreRefreshedOnceItOutgrowsThem() {
    List<SourceVersion> versions = new ArrayList<>();
    for (int i = 0; i < 2500; i++) {
      versions.add(version("statistics-" + i, 0));
    }
    assertThat(queue.enqueue(rule, versions, "SCAN")).isEqualTo(2500);
    // PostgreSQL counts the changes a moment after the transaction ends; a refresh before that may
    // analyse only the other tables (rules changed by earlier tests), so wait for the queue's own
    // statistics.
    Eventually.await(
        "the queue's statistics to be refreshed",
        Duration.ofSeconds(30),
        () -> {
          queue.refreshStatistics();
          return Sql.count(
                  server.database(),
                  "SELECT reltuples::bigint FROM pg_class WHERE relname = 'replication_tasks'")
              >= 2500;
        },
        () ->
            Sql.text(
                server.database(),
                "SELECT n_mod_since_analyze || ' changes since ' || coalesce(last_analyze::text, "
                    + "'never') FROM pg_stat_user_tables WHERE relname = 'replication_tasks'"));
    // (changes counted after the refresh read the table may ask for one more)
    Eventually.await(
        "the refreshed statistics to be left alone",
        Duration.ofSeconds(30),
        () -> !queue.refreshStatistics(),
        () -> "still refreshing");
    assertThat(queue.refreshStatistics()).as("fresh statistics are left alone").isFalse();
  }

  /**
   * The rules table, which the claim joins, is analysed once it changed more than it held, however
   * small: autovacuum never analyses a table of a few rules, and without statistics the claim
   * checks every due task before taking any.
   */
  @Test
  void theRulesStatisticsAreRefreshedThoughTheTableIsSmall() {
    Eventually.await(
        "fresh statistics to start from",
        Duration.ofSeconds(30),
        () -> !queue.refreshStatistics(),
        () -> "still refreshing");
    String before =
        Sql.text(
            server.database(),
            "SELECT coalesce(last_analyze, 'epoch')::text FROM pg_stat_user_tables "
                + "WHERE relname = 'rules'");
    long rules = Sql.count(server.database(), "SELECT count(*) FROM rules");
    assertThat(rules).isPositive();
    // every rule changed twice: more changes than the table holds, far fewer than autovacuum waits
    // for
    Sql.update(server.database(), "UPDATE rules SET name = name");
    Sql.update(server.database(), "UPDATE rules SET name = name");
    Eventually.await(
        "the rules' statistics to be refreshed",
        Duration.ofSeconds(30),
        () -> {
          queue.refreshStatistics();
          return !before.equals(
              Sql.text(
                  server.database(),
                  "SELECT coalesce(last_analyze, 'epoch')::text FROM pg_stat_user_tables "
                      + "WHERE relname = 'rules'"));
        },
        () ->
            Sql.text(
                server.database(),
                "SELECT n_mod_since_analyze || ' changes since ' || coalesce(last_analyze::text, "
                    + "'never') FROM pg_stat_user_tables WHERE relname = 'rules'"));
  }

  @Test
  void competingClaimersGetEveryTaskExactlyOnce() throws Exception {
    List<SourceVersion> versions = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      versions.add(version("distinct-" + i, 0));
    }
    assertThat(queue.enqueue(rule, versions, "SCAN")).isEqualTo(300);
    assertThat(queue.enqueue(rule, versions, "EVENT")).as("enqueue is idempotent").isZero();

    Set<UUID> claimed = ConcurrentHashMap.newKeySet();
    List<UUID> claims = Collections.synchronizedList(new ArrayList<>());
    ExecutorService claimers = Executors.newFixedThreadPool(8);
    List<Future<?>> runs = new ArrayList<>();
    for (int c = 0; c < 8; c++) {
      String owner = "claimer-" + c;
      runs.add(
          claimers.submit(
              () -> {
                List<ReplicationTask> batch =
                    queue.claim(owner, 7, 0, Duration.ofMinutes(5), Set.of());
                while (!batch.isEmpty()) {
                  batch.stream()
                      .filter(task -> task.sourceKey().startsWith("distinct-"))
                      .forEach(
                          task -> {
                            claims.add(task.id());
                            claimed.add(task.id());
                          });
                  queue.finishAll(
                      owner,
                      batch.stream()
                          .map(t -> new TaskQueue.Finished(t, TaskResult.replicated("d")))
                          .toList());
                  batch = queue.claim(owner, 7, 0, Duration.ofMinutes(5), Set.of());
                }
                return null;
              }));
    }
    for (Future<?> run : runs) {
      run.get();
    }
    claimers.shutdown();
    assertThat(claims).hasSize(300);
    assertThat(claimed).hasSize(300);
  }

  @Test
  void onlyTheOldestOpenVersionOfAKeyIsClaimableAndALostLeaseCannotWrite() {
    queue.enqueue(
        rule,
        List.of(version("ordered", 3), version("ordered", 1), version("ordered", 2)),
        "EVENT");

    List<ReplicationTask> first = queue.claim("a", 10, 0, Duration.ofMinutes(5), Set.of());
    assertThat(first).extracting(ReplicationTask::sourceVersionId).containsExactly("v-ordered-1");
    assertThat(queue.claim("b", 10, 0, Duration.ofMinutes(5), Set.of()))
        .as("nothing while v1 runs")
        .isEmpty();
    assertThat(
            queue.finishAll(
                "b", List.of(new TaskQueue.Finished(first.get(0), TaskResult.replicated("x")))))
        .isEmpty();

    queue.finishAll("a", List.of(new TaskQueue.Finished(first.get(0), TaskResult.replicated("x"))));
    assertThat(queue.claim("b", 10, 0, Duration.ofMinutes(5), Set.of()))
        .extracting(ReplicationTask::sourceVersionId)
        .containsExactly("v-ordered-2");
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheOldHolderCanNoLongerWrite() throws Exception {
    queue.enqueue(rule, List.of(version("leased", 0)), "EVENT");
    ReplicationTask held = queue.claim("crashed", 1, 0, Duration.ofMillis(200), Set.of()).get(0);
    Thread.sleep(300);

    List<ReplicationTask> takenOver = queue.claim("rescuer", 1, 0, Duration.ofMinutes(5), Set.of());

    assertThat(takenOver).extracting(ReplicationTask::id).containsExactly(held.id());
    assertThat(takenOver.get(0).attempts()).isEqualTo(2);
    // The "crashed" holder's late write finds the task owned by someone else and changes nothing.
    assertThat(
            queue.finishAll(
                "crashed", List.of(new TaskQueue.Finished(held, TaskResult.replicated("late")))))
        .isEmpty();
    assertThat(
            queue.finishAll(
                "rescuer",
                List.of(new TaskQueue.Finished(takenOver.get(0), TaskResult.replicated("ok")))))
        .containsExactly(held.id());
  }

  @Test
  void aBatchJobRequeuesEndedTasksAndWithdrawingItGivesThemBackTheirState() {
    // A rule of its own, disabled: its tasks are never claimable, so the other tests' claims do not
    // see them.
    Rule batchRule = disabledRule("batch-queue");
    queue.enqueue(batchRule, List.of(version("done", 0), version("failed", 0)), "SCAN");
    setState(batchRule, "done", "COMPLETED", null);
    setState(batchRule, "failed", "FAILED", "DstBucketNotFound");
    UUID job = UUID.randomUUID();
    TaskQueue.BatchSelection selection =
        new TaskQueue.BatchSelection(
            job,
            batchRule,
            batchRule.destinations(),
            Set.of(
                TaskQueue.VersionStatus.NONE,
                TaskQueue.VersionStatus.COMPLETED,
                TaskQueue.VersionStatus.FAILED),
            false);

    long queued =
        queue.enqueueBatch(
            selection,
            List.of(
                TaskQueue.BatchVersion.of(version("done", 0)),
                TaskQueue.BatchVersion.of(version("failed", 0)),
                TaskQueue.BatchVersion.of(version("new", 0)),
                TaskQueue.BatchVersion.failed(
                    version("missing", 0), "SrcKeyNotFound", "not at the source")));

    assertThat(queued).isEqualTo(4);
    assertThat(states(batchRule))
        .isEqualTo("done:PENDING<COMPLETED,failed:PENDING<FAILED,missing:FAILED,new:PENDING");

    queue.withdraw(batchRule.tenantId(), job);

    assertThat(states(batchRule))
        .as("given back; the created task withdrawn, the failed one ended")
        .isEqualTo("done:COMPLETED,failed:FAILED,missing:FAILED");
  }

  @Test
  void aWithdrawalTheTransitionTableRefusesThrowsAndChangesNothing() {
    Rule batchRule = disabledRule("corrupt-queue");
    queue.enqueue(batchRule, List.of(version("corrupt", 0), version("fine", 0)), "SCAN");
    UUID job = UUID.randomUUID();
    Sql.update(
        server.database(),
        "UPDATE replication_tasks SET batch_job_id = '"
            + job
            + "', prior_state = 'FAILED'"
            + " WHERE rule_id = '"
            + batchRule.id()
            + "'");
    Sql.update(
        server.database(),
        "UPDATE replication_tasks SET prior_state = 'RUNNING' WHERE rule_id = '"
            + batchRule.id()
            + "' AND source_key = 'corrupt'");

    assertThatThrownBy(() -> queue.withdraw(batchRule.tenantId(), job))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("A withdraw cannot take a task from PENDING to RUNNING");

    assertThat(states(batchRule))
        .as("rolled back")
        .isEqualTo("corrupt:PENDING<RUNNING,fine:PENDING<FAILED");
  }

  private static Rule disabledRule(String name) {
    String id = ruleId(name);
    Sql.update(server.database(), "UPDATE rules SET status = 'DISABLED' WHERE id = '" + id + "'");
    return stored(id);
  }

  private static void setState(Rule rule, String key, String state, String failureReason) {
    Sql.update(
        server.database(),
        "UPDATE replication_tasks SET state = '"
            + state
            + "', completed_at = now(), failure_reason = "
            + (failureReason == null ? "NULL" : "'" + failureReason + "'")
            + " WHERE rule_id = '"
            + rule.id()
            + "' AND source_key = '"
            + key
            + "'");
  }

  /**
   * {@code key:state} of each task of the rule, with {@code <prior state>} when a batch job
   * requeued it.
   */
  private static String states(Rule rule) {
    return Sql.text(
        server.database(),
        "SELECT string_agg(source_key || ':' || state || coalesce('<' || prior_state, ''), ','"
            + " ORDER BY source_key) FROM replication_tasks WHERE rule_id = '"
            + rule.id()
            + "'");
  }
}
