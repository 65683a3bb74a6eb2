package dev.replicator.replication;

import static org.assertj.core.api.Assertions.assertThat;

import dev.replicator.testing.Api;
import dev.replicator.testing.CountingProxy;
import dev.replicator.testing.Eventually;
import dev.replicator.testing.Fixtures;
import dev.replicator.testing.MotoServer;
import dev.replicator.testing.RandomFiles;
import dev.replicator.testing.Sql;
import dev.replicator.testing.TestS3;
import dev.replicator.testing.Testbed;
import dev.replicator.trust.Compatibility;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.iam.model.AccessKey;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A copy through the worker reads its source once: one GET per object written with one PUT and one
 * ranged GET per part of a multipart upload, counted by a proxy between the worker and the source
 * store (plain HTTP, where the SDK would otherwise read each body twice to sign it). For both
 * compatibility modes on S3Mock, and on moto, which checks every SigV4 signature.
 */
class ReadOnceIT {

  static final long PART_SIZE = 5L * 1024 * 1024;
  static final long LARGE_SIZE = 2 * PART_SIZE + 1_234_567;
  static final List<Map.Entry<String, Integer>> SMALL_SIZES =
      List.of(
          Map.entry("small-tiny.txt", 10),
          Map.entry("small-200k.bin", 200 * 1024),
          Map.entry("small-3m.bin", 3 * 1024 * 1024 + 7));
  static final String LARGE_KEY = "large.bin";

  static Testbed testbed;

  @TempDir Path work;

  @BeforeAll
  static void start() {
    testbed =
        Testbed.start(
            Map.of(
                "replicator.worker.multipart-threshold",
                8L * 1024 * 1024,
                "replicator.worker.part-size",
                PART_SIZE));
  }

  @AfterAll
  static void stop() {
    testbed.close();
  }

  @ParameterizedTest
  @EnumSource(
      value = Compatibility.class,
      names = {"S3_COMPATIBLE", "AWS"})
  void onS3MockEachSourceByteIsReadOnce(Compatibility compatibility) throws Exception {
    TestS3 s3 = testbed.s3;
    try (CountingProxy proxy = new CountingProxy(s3.endpoint())) {
      Map<String, Object> source = new HashMap<>(s3.trustBody(Fixtures.unique("source")));
      source.put("endpoint", proxy.endpoint());
      source.put("compatibility", compatibility.name());
      Map<String, Object> destination = new HashMap<>(s3.trustBody(Fixtures.unique("destination")));
      destination.put("compatibility", compatibility.name());

      copyAndCount(proxy, s3.client(), source, destination, s3.bucket(true), s3.bucket(true));
    }
  }

  @Test
  void onMotoSignaturesOfUnsignedPayloadsOverHttpAreAccepted() throws Exception {
    try (MotoServer moto =
            MotoServer.startOrSkip(
                3, "moto_server is not installed: no server that checks signatures");
        CountingProxy proxy = new CountingProxy(moto.endpoint())) {
      AccessKey key = moto.s3User("copier");
      try (S3Client client = moto.s3(key)) {
        String sourceBucket = MotoServer.versionedBucket(client, "source");
        String destinationBucket = MotoServer.versionedBucket(client, "replica");
        Map<String, Object> source = MotoServer.trustBody(proxy.endpoint(), key);
        Map<String, Object> destination = MotoServer.trustBody(moto.endpoint(), key);

        copyAndCount(proxy, client, source, destination, sourceBucket, destinationBucket);
      }
    }
  }

  private void copyAndCount(
      CountingProxy proxy,
      S3Client client,
      Map<String, Object> sourceTrust,
      Map<String, Object> destinationTrust,
      String source,
      String destination)
      throws Exception {
    Api admin = testbed.admin;
    String from = Fixtures.trust(admin, testbed.tenant, sourceTrust);
    String to = Fixtures.trust(admin, testbed.tenant, destinationTrust);
    String rule =
        Fixtures.liveRule(
                admin,
                testbed.tenant,
                Fixtures.ruleBody(
                    Fixtures.unique("read-once"),
                    30,
                    from,
                    source,
                    Fixtures.destination(to, destination)))
            .get("id")
            .asText();

    Map<String, byte[]> small = new LinkedHashMap<>();
    Random random = new Random(7);
    for (Map.Entry<String, Integer> entry : SMALL_SIZES) {
      byte[] bytes = new byte[entry.getValue()];
      random.nextBytes(bytes);
      small.put(entry.getKey(), bytes);
    }
    Path large = work.resolve(LARGE_KEY);
    String largeMd5 = RandomFiles.write(large, LARGE_SIZE, 11);
    small.forEach(
        (key, bytes) ->
            client.putObject(b -> b.bucket(source).key(key), RequestBody.fromBytes(bytes)));
    client.putObject(b -> b.bucket(source).key(LARGE_KEY), RequestBody.fromFile(large));
    Sql.update(
        testbed.server.database(),
        "UPDATE rule_scans SET next_scan_at = now() - interval '1 second'");

    Eventually.await(
        "every version replicated",
        Duration.ofSeconds(90),
        () -> tasks(rule, "state = 'COMPLETED'") == small.size() + 1,
        Eventually.tasksOf(testbed.server.database()));

    assertThat(tasks(rule, "attempts <> 1"))
        .as("each copy succeeded at its first attempt")
        .isZero();
    assertThat(proxy.failures()).isEmpty();
    for (String key : small.keySet()) {
      List<CountingProxy.Request> reads = reads(proxy, source, key);
      assertThat(reads).as("GETs of %s", key).hasSize(1);
      assertThat(reads.get(0).header("range")).isNull();
      assertThat(bytes(client, destination, key)).as(key).isEqualTo(small.get(key));
    }
    assertThat(reads(proxy, source, LARGE_KEY))
        .as("GETs of the multipart copy's source")
        .extracting(read -> read.header("range"))
        .containsExactlyInAnyOrderElementsOf(partRanges());
    try (InputStream replica = client.getObject(b -> b.bucket(destination).key(LARGE_KEY))) {
      assertThat(RandomFiles.md5(replica)).isEqualTo(largeMd5);
    }
    assertThat(client.headObject(b -> b.bucket(destination).key(LARGE_KEY)).contentLength())
        .isEqualTo(LARGE_SIZE);
    assertThat(client.headObject(b -> b.bucket(destination).key(LARGE_KEY)).eTag())
        .endsWith("-" + partRanges().size() + "\"");
  }

  /** The GETs of an object's bytes: not of its ACL, tags or other sub-resources. */
  private static List<CountingProxy.Request> reads(CountingProxy proxy, String bucket, String key) {
    return proxy.requests().stream()
        .filter(r -> r.method().equals("GET") && r.path().equals("/" + bucket + "/" + key))
        .filter(r -> r.queryNames().stream().allMatch(name -> name.equals("versionId")))
        .toList();
  }

  private static List<String> partRanges() {
    List<String> ranges = new ArrayList<>();
    for (long start = 0; start < LARGE_SIZE; start += PART_SIZE) {
      ranges.add("bytes=" + start + "-" + (Math.min(start + PART_SIZE, LARGE_SIZE) - 1));
    }
    return ranges;
  }

  private static byte[] bytes(S3Client client, String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
  }

  private static long tasks(String rule, String condition) {
    return Sql.count(
        testbed.server.database(),
        "SELECT count(*) FROM replication_tasks WHERE rule_id = '" + rule + "' AND " + condition);
  }
}
