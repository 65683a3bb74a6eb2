package dev.replicator.tenancy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.replicator.testing.Api;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.TestServer;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile values in the requests of every feature — U+0000 in text, types the schema does not
 * allow, date-times PostgreSQL cannot store, content after the JSON document — get a 400 problem
 * whose {@code errors} name the field, and change nothing in the database.
 */
class HostileInputIT {

  static final String NUL = "\\u0000";
  static final String FAR_FUTURE = "+999999999-12-31T23:59:59Z";

  static TestServer server;
  static String tenant;
  static String trust;
  static String rule;
  static String source;
  static Api admin;
  static String snapshot;

  @BeforeAll
  static void start() {
    TestS3 s3 = TestS3.get();
    server = TestServer.start(TestServer.LOOPBACK_ALLOWED);
    Fixtures fixtures = new Fixtures(server);
    tenant = fixtures.tenant();
    admin = fixtures.as(fixtures.token(tenant, "ADMIN"));
    fixtures.user(tenant, "alice@example.com", "VIEWER");
    trust = Fixtures.trust(admin, tenant, s3.trustBody("s3"));
    source = s3.bucket(true);
    rule =
        Fixtures.rule(
                admin,
                tenant,
                Map.of(
                    "name",
                    "r",
                    "source",
                    Fixtures.destination(trust, source),
                    "destinations",
                    List.of(Fixtures.destination(trust, s3.bucket(true)))))
            .get("id")
            .asText();
    snapshot = snapshot();
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  @AfterEach
  void nothingWasStored() {
    assertThat(snapshot()).isEqualTo(snapshot);
  }

  static String snapshot() {
    return Sql.rowCounts(
            server.database(),
            List.of(
                "tenants",
                "api_tokens",
                "users",
                "sessions",
                "login_failures",
                "audit_log",
                "trusts",
                "rules",
                "rule_filter_tags",
                "rule_destinations",
                "replication_tasks",
                "batch_jobs",
                "webhooks",
                "webhook_deliveries"))
        + ", rules updated "
        + Sql.text(server.database(), "SELECT max(updated_at)::text FROM rules");
  }

  static String path(String path) {
    return "/api/v1/tenants/" + tenant + path;
  }

  /**
   * A valid rule body, disabled (so no S3 call), with {@code json} spliced in as its last fields
   * (or replacing its status or destinations).
   */
  static String ruleWith(String json) {
    String destinations =
        json.contains("\"destinations\"")
            ? ""
            : ", \"destinations\": [{\"trustId\": \"" + trust + "\", \"bucket\": \"dst-bucket\"}]";
    String status = json.contains("\"status\"") ? "" : "\"status\": \"DISABLED\", ";
    return "{\"name\": \"hostile\", "
        + status
        + "\"source\": {\"trustId\": \""
        + trust
        + "\", \"bucket\": \"src-bucket\"}"
        + destinations
        + ", "
        + json
        + "}";
  }

  static String destinationWith(String json) {
    return ruleWith(
        "\"destinations\": [{\"trustId\": \""
            + trust
            + "\", \"bucket\": \"dst-bucket\", "
            + json
            + "}]");
  }

  static String jobWith(String json) {
    return "{\"ruleId\": \"" + rule + "\", " + json + "}";
  }

  static String jobFilterWith(String json) {
    return jobWith("\"filter\": {\"replicationStatuses\": [\"NONE\"], " + json + "}");
  }

  static String webhookWith(String json) {
    return "{\"url\": \"https://hooks.example.com/replicator\", \"events\": [\"OperationFailedReplication\"], "
        + json
        + "}";
  }

  /** An S3 event notification of a new version in the rule's source bucket. */
  static String eventWith(String key, String eventTime) {
    return "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\", \"eventTime\": \""
        + eventTime
        + "\", \"s3\": "
        + "{\"bucket\": {\"name\": \"{source}\"}, \"object\": {\"key\": \""
        + key
        + "\", \"versionId\": \"v1\"}}}]}";
  }

  static Stream<Arguments> hostileBodies() {
    String rules = "/rules";
    String oneRule = "/rules/{rule}";
    String jobs = "/batch-jobs";
    String webhooks = "/webhooks";
    String retry = "/rules/{rule}/objects/retry";
    String login = "/api/v1/auth/login";
    String trusts = "/trusts";
    String events = "/events";
    return Stream.of(
        // 1. U+0000 in any text
        Arguments.of(
            "POST",
            rules,
            ruleWith("\"filter\": {\"prefix\": \"a" + NUL + "b\"}"),
            "filter.prefix"),
        Arguments.of(
            "POST",
            rules,
            ruleWith("\"filter\": {\"tags\": {\"k" + NUL + "\": \"v\"}}"),
            "filter.tags"),
        Arguments.of(
            "POST",
            rules,
            ruleWith("\"filter\": {\"tags\": {\"k\": \"v" + NUL + "\"}}"),
            "filter.tags.k"),
        Arguments.of(
            "POST",
            rules,
            destinationWith("\"kmsKeyId\": \"key" + NUL + "\""),
            "destinations[0].kmsKeyId"),
        Arguments.of(
            "POST",
            rules,
            ruleWith("\"priority\": 1").replace("hostile", "host" + NUL + "ile"),
            "name"),
        Arguments.of(
            "PUT", oneRule, ruleWith("\"filter\": {\"prefix\": \"" + NUL + "\"}"), "filter.prefix"),
        Arguments.of(
            "POST", jobs, jobWith("\"description\": \"backfill" + NUL + "\""), "description"),
        Arguments.of(
            "POST", jobs, jobFilterWith("\"prefix\": \"logs/" + NUL + "\""), "filter.prefix"),
        Arguments.of(
            "POST", webhooks, webhookWith("\"description\": \"" + NUL + "\""), "description"),
        Arguments.of(
            "POST",
            login,
            "{\"email\": \"alice@example.com" + NUL + "\", \"password\": \"x\"}",
            "email"),
        Arguments.of("POST", retry, "{\"keys\": [\"a.txt\", \"b" + NUL + ".txt\"]}", "keys[1]"),
        Arguments.of(
            "POST",
            retry,
            "{\"failureReason\": \"DstBucketNotFound" + NUL + "\"}",
            "failureReason"),
        Arguments.of(
            "POST",
            trusts,
            "{\"name\": \"t\", \"type\": \"STATIC\", \"region\": \"us-east-1"
                + NUL
                + "\", \"accessKeyId\": \"a\", \"secretAccessKey\": \"s\"}",
            "region"),
        Arguments.of(
            "POST",
            events,
            eventWith("a%00b", "2026-01-01T00:00:00.000Z"),
            "Records[0].s3.object.key"),
        Arguments.of(
            "POST",
            events,
            eventWith("a" + NUL + "b", "2026-01-01T00:00:00.000Z"),
            "Records[0].s3.object.key"),
        // 2. a tag without a value
        Arguments.of(
            "POST", rules, ruleWith("\"filter\": {\"tags\": {\"k\": null}}"), "filter.tags.k"),
        Arguments.of(
            "PUT",
            oneRule,
            ruleWith("\"filter\": {\"tags\": {\"a\": \"1\", \"k\": null}}"),
            "filter.tags.k"),
        // 3. date-times PostgreSQL cannot store, or not date-times at all
        Arguments.of(
            "POST",
            jobs,
            jobFilterWith("\"createdAfter\": \"" + FAR_FUTURE + "\""),
            "filter.createdAfter"),
        Arguments.of(
            "POST",
            jobs,
            jobFilterWith("\"createdBefore\": \"" + FAR_FUTURE + "\""),
            "filter.createdBefore"),
        Arguments.of(
            "POST",
            jobs,
            jobFilterWith("\"createdBefore\": \"0000-01-01T00:00:00Z\""),
            "filter.createdBefore"),
        Arguments.of("POST", jobs, jobFilterWith("\"createdAfter\": 123"), "filter.createdAfter"),
        Arguments.of(
            "POST", jobs, jobFilterWith("\"createdAfter\": \"2026-01-01\""), "filter.createdAfter"),
        Arguments.of("POST", events, eventWith("a.txt", FAR_FUTURE), "Records[0].eventTime"),
        // 4. types the schema does not allow
        Arguments.of(
            "POST",
            rules,
            ruleWith("\"deleteMarkerReplication\": \"true\""),
            "deleteMarkerReplication"),
        Arguments.of(
            "POST",
            rules,
            ruleWith("\"deleteMarkerReplication\": \"yes\""),
            "deleteMarkerReplication"),
        Arguments.of(
            "POST", rules, ruleWith("\"replicaModifications\": 1"), "replicaModifications"),
        Arguments.of(
            "POST", rules, ruleWith("\"replicaModifications\": 0"), "replicaModifications"),
        Arguments.of("POST", rules, ruleWith("\"priority\": \"12\""), "priority"),
        Arguments.of("POST", rules, ruleWith("\"priority\": true"), "priority"),
        Arguments.of("POST", rules, ruleWith("\"priority\": 1.5"), "priority"),
        Arguments.of("POST", rules, ruleWith("\"priority\": 99999999999"), "priority"),
        Arguments.of(
            "POST", rules, ruleWith("\"scanIntervalSeconds\": \"300\""), "scanIntervalSeconds"),
        Arguments.of(
            "POST",
            rules,
            ruleWith("\"replicationTime\": {\"enabled\": \"true\"}"),
            "replicationTime.enabled"),
        Arguments.of(
            "POST",
            rules,
            ruleWith("\"replicationTime\": {\"enabled\": true, \"thresholdMinutes\": \"15\"}"),
            "replicationTime.thresholdMinutes"),
        Arguments.of(
            "POST",
            rules,
            destinationWith("\"ownerOverride\": \"false\""),
            "destinations[0].ownerOverride"),
        Arguments.of(
            "POST",
            rules,
            destinationWith("\"storageClass\": \"\""),
            "destinations[0].storageClass"),
        Arguments.of(
            "POST", rules, destinationWith("\"storageClass\": 1"), "destinations[0].storageClass"),
        Arguments.of("POST", rules, ruleWith("\"status\": \"enabled\""), "status"),
        Arguments.of(
            "POST", rules, ruleWith("\"filter\": {\"tags\": {\"k\": 1}}"), "filter.tags.k"),
        Arguments.of("POST", webhooks, webhookWith("\"enabled\": \"yes\""), "enabled"),
        Arguments.of("POST", webhooks, webhookWith("\"ruleIds\": [\"not-a-uuid\"]"), "ruleIds[0]"),
        Arguments.of("POST", retry, "{\"keys\": [null]}", "keys[0]"),
        Arguments.of("POST", retry, "{\"keys\": [\"a\", 123]}", "keys[1]"),
        Arguments.of("POST", retry, "{\"keys\": [true]}", "keys[0]"),
        Arguments.of(
            "POST",
            trusts,
            "{\"name\": \"t\", \"type\": \"STATIC\", \"region\": \"us-east-1\", \"pathStyle\": \"true\","
                + " \"accessKeyId\": \"a\", \"secretAccessKey\": \"s\"}",
            "pathStyle"),
        Arguments.of("POST", "/tokens", "{\"name\": \"ci\", \"role\": \"ROOT\"}", "role"),
        Arguments.of("POST", "/api/v1/tenants", "{\"name\": \"x\", \"plan\": \"gold\"}", "plan"),
        Arguments.of(
            "POST", rules, ruleWith("\"filter\": {\"prefix\": \"a\", \"size\": 1}"), "filter.size"),
        // 4. content after the JSON document
        Arguments.of("POST", "/api/v1/tenants", "{\"name\": \"trailing\"} xyz", "body"),
        Arguments.of(
            "POST", "/api/v1/tenants", "{\"name\": \"first\"}{\"name\": \"second\"}", "body"),
        Arguments.of("POST", "/tokens", "{\"name\": \"ci\", \"role\": \"VIEWER\"}\n{}", "body"),
        Arguments.of(
            "POST",
            "/users",
            "{\"email\": \"bob@example.com\", \"password\": \"a-long-enough-password\","
                + " \"role\": \"VIEWER\"} ]",
            "body"),
        Arguments.of("POST", rules, ruleWith("\"priority\": 1") + " xyz", "body"),
        Arguments.of("POST", jobs, jobFilterWith("\"prefix\": \"p\"") + "{}", "body"),
        Arguments.of("POST", webhooks, webhookWith("\"enabled\": true") + " 1", "body"),
        Arguments.of("POST", retry, "{} {}", "body"),
        Arguments.of(
            "POST", login, "{\"email\": \"alice@example.com\", \"password\": \"x\"} xyz", "body"),
        Arguments.of(
            "POST",
            trusts,
            "{\"name\": \"t\", \"type\": \"STATIC\", \"region\": \"us-east-1\","
                + " \"accessKeyId\": \"a\", \"secretAccessKey\": \"s\"} null",
            "body"));
  }

  @ParameterizedTest(name = "{0} {1} <- {2}")
  @MethodSource("hostileBodies")
  void hostileBodiesAreRefusedNamingTheField(
      String method, String target, String body, String field) {
    Api.Response response =
        admin.unchecked().send(method, resolve(target), substitute(body), "application/json");
    assertNamesField(response, field);
  }

  @Test
  void theProblemSaysWhatTheSchemaWants() {
    Api.Response priority =
        admin
            .unchecked()
            .send("POST", path("/rules"), ruleWith("\"priority\": \"12\""), "application/json");
    assertNamesField(priority, "priority");
    assertThat(priority.json().get("type").asText()).endsWith("/validation-failed");
    assertThat(priority.json().get("errors").get(0).get("message").asText())
        .isEqualTo("must be an integer, not a string");
    assertThat(priority.json().get("detail").asText())
        .isEqualTo("The request is invalid: priority must be an integer, not a string.");

    Api.Response trailing =
        admin
            .unchecked()
            .send("POST", "/api/v1/tenants", "{\"name\": \"x\"} xyz", "application/json");
    assertNamesField(trailing, "body");
    assertThat(trailing.json().get("detail").asText())
        .contains("not valid JSON")
        .contains("exactly one JSON value");

    Api.Response status =
        admin
            .unchecked()
            .send("POST", path("/rules"), ruleWith("\"status\": \"on\""), "application/json");
    assertThat(status.json().get("errors").get(0).get("message").asText())
        .isEqualTo("must be one of ENABLED, DISABLED");

    Api.Response date =
        admin
            .unchecked()
            .send(
                "POST",
                path("/batch-jobs"),
                jobFilterWith("\"createdAfter\": \"" + FAR_FUTURE + "\""),
                "application/json");
    assertThat(date.json().get("errors").get(0).get("message").asText())
        .contains("1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z");
  }

  static Stream<Arguments> hostileQueries() {
    String objects = "/rules/{rule}/objects";
    String metrics = "/rules/{rule}/metrics";
    return Stream.of(
        Arguments.of(objects + "?prefix=a%00b", "prefix"),
        Arguments.of(objects + "?destination=%00", "destination"),
        Arguments.of(objects + "?failureReason=DstBucketNotFound%00", "failureReason"),
        Arguments.of(objects + "?status=FAILED&limit=ten", "limit"),
        Arguments.of("/rules?bucket=b%00", "bucket"),
        Arguments.of("/rules/export?trustId={trust}&bucket=b%00", "bucket"),
        Arguments.of("/batch-jobs?status=RUNNING%00", "status"),
        Arguments.of("/batch-jobs?st%00atus=RUNNING", "st%00atus"),
        Arguments.of(metrics + "?to=%2B999999999-12-31T23:59:59Z", "to"),
        Arguments.of(metrics + "?from=%2B999999999-12-31T23:59:59Z", "from"),
        Arguments.of(metrics + "?to=0000-01-01T00:00:00Z", "to"),
        Arguments.of(metrics + "?to=1970-01-01T00:10:00Z", "to"),
        Arguments.of(metrics + "?from=2026-01-01T00:00:00Z&to=tomorrow", "to"),
        Arguments.of(metrics + "?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"));
  }

  @ParameterizedTest(name = "GET {0}")
  @MethodSource("hostileQueries")
  void hostileQueryParametersAreRefusedNamingTheParameter(String target, String field) {
    assertNamesField(admin.unchecked().get(resolve(target)), field);
  }

  static String resolve(String target) {
    String resolved = substitute(target);
    return resolved.startsWith("/api/") ? resolved : path(resolved);
  }

  static String substitute(String text) {
    return text.replace("{rule}", rule).replace("{trust}", trust).replace("{source}", source);
  }

  static void assertNamesField(Api.Response response, String field) {
    BadInputIT.assertProblem(response, 400);
    JsonNode errors = response.json().get("errors");
    assertThat(errors).as(response.body()).isNotNull();
    assertThat(errors).extracting(e -> e.get("field").asText()).as(response.body()).contains(field);
    assertThat(errors).allSatisfy(e -> assertThat(e.get("message").asText()).isNotBlank());
  }
}
