package dev.replicator.trust.client;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * Replicator's own AWS identity: the SDK's default credential chain of the server process
 * (environment, profile, container or instance role). It is only used to assume tenants' roles,
 * never to touch tenants' data directly.
 */
@Factory
public class BaseCredentials {

  public static final String NAME = "replicator-base";

  @Singleton
  @Named(NAME)
  AwsCredentialsProvider baseCredentials() {
    return DefaultCredentialsProvider.builder().build();
  }
}
