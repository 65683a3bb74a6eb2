package dev.replicator.testing;

import dev.replicator.trust.client.BaseCredentials;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * Gives a test server its own base AWS identity (an IAM user of the test's STS server) instead of
 * the default credential chain, which is global to the JVM and so cannot differ between two servers
 * of one test run.
 */
@Factory
@Requires(property = "test.base-credentials.access-key-id")
public class TestBaseCredentials {

  @Singleton
  @Named(BaseCredentials.NAME)
  @Replaces(
      bean = AwsCredentialsProvider.class,
      factory = BaseCredentials.class,
      named = BaseCredentials.NAME)
  AwsCredentialsProvider baseCredentials(
      @Value("${test.base-credentials.access-key-id}") String accessKeyId,
      @Value("${test.base-credentials.secret-access-key}") String secretAccessKey) {
    return StaticCredentialsProvider.create(
        AwsBasicCredentials.create(accessKeyId, secretAccessKey));
  }
}
