package dev.replicator.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.trust.guard.EndpointGuard;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Role ARNs: AWS's form where AWS STS assumes the role, also the stores' own forms where their STS
 * does.
 */
class TrustSettingsTest {

  /** Every host resolves to a public address, so the guard passes and no DNS is needed. */
  static final EndpointGuard GUARD =
      new EndpointGuard(
          List.of(), host -> new InetAddress[] {InetAddress.getByName("203.0.113.7")});

  static TrustSettings roleTrust(String roleArn, String stsEndpoint) {
    return TrustSettings.validate(
        TrustType.ASSUME_ROLE,
        "role",
        null,
        "us-east-1",
        null,
        null,
        null,
        null,
        roleArn,
        stsEndpoint,
        true,
        GUARD);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "arn:aws:iam:::role/replicator",
        "arn:aws:iam::tenant_one:role/replicator",
        "arn:aws:iam::123456789012:role/path/replicator"
      })
  void aStoresOwnStsTakesItsRoleArns(String roleArn) {
    assertThat(roleTrust(roleArn, "https://rgw.example.com").roleArn()).isEqualTo(roleArn);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"arn:aws:iam:::role/replicator", "arn:aws:iam::tenant_one:role/replicator"})
  void awsStsNeedsTheTwelveDigitAccount(String roleArn) {
    for (String sts : new String[] {null, "https://sts.us-east-1.amazonaws.com"}) {
      assertThatThrownBy(() -> roleTrust(roleArn, sts))
          .isInstanceOfSatisfying(
              ApiException.class,
              e -> assertThat(e.getMessage()).contains("roleArn").contains("stsEndpoint"));
    }
    assertThat(roleTrust("arn:aws:iam::123456789012:role/replicator", null).roleArn()).isNotNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {"not-an-arn", "arn:aws:iam::tenant one:role/x", "arn:aws:s3:::bucket"})
  void anythingElseIsRefusedEverywhere(String roleArn) {
    assertThatThrownBy(() -> roleTrust(roleArn, "https://rgw.example.com"))
        .isInstanceOf(ApiException.class);
  }
}
