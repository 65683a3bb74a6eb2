package dev.replicator.testing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The contract check fails an exchange whose status openapi.yaml does not declare for its
 * operation.
 */
class ContractValidatorTest {

  static final String PROBLEM =
      "{\"type\":\"https://replicator.dev/problems/x\",\"title\":\"T\",\"status\":%d,\"detail\":\"d\"}";

  static Api.Response problem(int status) {
    return new Api.Response(
        status,
        Map.of("Content-Type", List.of("application/problem+json")),
        PROBLEM.formatted(status));
  }

  @Test
  void aDeclaredStatusPasses() {
    assertThatCode(
            () ->
                ContractValidator.check(
                    "GET", "/api/v1/tenants", true, null, null, problem(401), true))
        .doesNotThrowAnyException();
    assertThatCode(
            () ->
                ContractValidator.check(
                    "GET", "/health/nonsense", false, null, null, problem(400), false))
        .doesNotThrowAnyException();
  }

  @Test
  void anUndeclaredStatusFailsForCheckedAndUncheckedRequests() {
    assertThatThrownBy(
            () ->
                ContractValidator.check(
                    "GET", "/api/v1/tenants", true, null, null, problem(418), true))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("418");
    assertThatThrownBy(
            () ->
                ContractValidator.check(
                    "GET", "/api/v1/tenants?limit=x", true, null, null, problem(418), false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("418");
    assertThatThrownBy(
            () ->
                ContractValidator.check(
                    "GET", "/api/v1/auth/me", true, null, null, problem(409), false))
        .isInstanceOf(AssertionError.class)
        .hasMessageContaining("409");
  }
}
