package dev.replicator.platform.roles;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ProcessRolesTest {

  @Test
  void rolesAreReadCaseAndSpaceInsensitively() {
    assertThat(ProcessRoles.parse(" API , Worker")).containsExactly("api", "worker");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " , ", "api,wroker", "all"})
  void anUnknownOrEmptyRoleListIsAStartupError(String roles) {
    assertThatThrownBy(() -> ProcessRoles.parse(roles))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("REPLICATOR_ROLES");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api", "api,worker", "worker, api", "scheduler,api,worker", "API"})
  void theApiPatternMatchesListsThatContainApi(String roles) {
    assertThat(roles).matches(ProcessRoles.API_PATTERN);
  }

  @ParameterizedTest
  @ValueSource(strings = {"worker", "scheduler,worker", "apiary"})
  void theApiPatternDoesNotMatchOtherLists(String roles) {
    assertThat(roles).doesNotMatch(ProcessRoles.API_PATTERN);
  }
}
