package dev.replicator.trust;

import dev.replicator.trust.client.AwsSettings;
import dev.replicator.trust.client.BaseCredentials;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * The IAM principal Replicator assumes tenants' roles as: {@code replicator.aws.principal-arn} when
 * configured, otherwise what STS GetCallerIdentity says of the base credentials. Looked up once and
 * cached; a failed lookup is retried after a few minutes rather than on every request.
 */
@Singleton
public class ServerIdentity {

  private static final Logger LOG = LoggerFactory.getLogger(ServerIdentity.class);
  private static final Pattern ASSUMED_ROLE =
      Pattern.compile("arn:(aws[a-z-]*):sts::(\\d{12}):assumed-role/([^/]+)/.*");
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofMinutes(5);

  private final AwsSettings settings;
  private final AwsCredentialsProvider baseCredentials;
  private final Clock clock;
  private Optional<String> principal = Optional.empty();
  private Instant retryAt = Instant.MIN;
  private String failure = "";
  private StsClient sts;

  public ServerIdentity(
      AwsSettings settings,
      @Named(BaseCredentials.NAME) AwsCredentialsProvider baseCredentials,
      Clock clock) {
    this.settings = settings;
    this.baseCredentials = baseCredentials;
    this.clock = clock;
  }

  /** The principal ARN, or empty with {@link #whyUnknown()} saying why. */
  public synchronized Optional<String> principalArn() {
    if (settings.principalArn() != null && !settings.principalArn().isBlank()) {
      return Optional.of(settings.principalArn());
    }
    if (principal.isEmpty() && clock.instant().isAfter(retryAt)) {
      try {
        principal = Optional.of(asPrincipal(sts().getCallerIdentity().arn()));
      } catch (SdkException e) {
        retryAt = clock.instant().plus(RETRY_AFTER_FAILURE);
        failure = e.getMessage();
        LOG.warn(
            "Could not determine Replicator's own AWS identity with GetCallerIdentity: {}",
            e.getMessage());
      }
    }
    return principal;
  }

  public synchronized String whyUnknown() {
    return "Replicator could not determine its own AWS identity ("
        + failure
        + "). Give the server process AWS "
        + "credentials (environment, profile or instance role) or set REPLICATOR_AWS_PRINCIPAL_ARN to the IAM "
        + "principal it runs as; the trust policy then names that principal.";
  }

  /** An assumed-role session's ARN is not a valid policy principal; its role is. */
  static String asPrincipal(String callerArn) {
    Matcher matcher = ASSUMED_ROLE.matcher(callerArn);
    return matcher.matches()
        ? "arn:" + matcher.group(1) + ":iam::" + matcher.group(2) + ":role/" + matcher.group(3)
        : callerArn;
  }

  private StsClient sts() {
    if (sts == null) {
      var builder =
          StsClient.builder()
              .region(Region.of(settings.stsRegion()))
              .credentialsProvider(baseCredentials)
              .httpClientBuilder(
                  ApacheHttpClient.builder().connectionTimeout(settings.connectTimeout()));
      if (settings.stsEndpoint() != null && !settings.stsEndpoint().isBlank()) {
        builder.endpointOverride(URI.create(settings.stsEndpoint()));
      }
      sts = builder.build();
    }
    return sts;
  }

  @PreDestroy
  synchronized void close() {
    if (sts != null) {
      sts.close();
    }
  }
}
