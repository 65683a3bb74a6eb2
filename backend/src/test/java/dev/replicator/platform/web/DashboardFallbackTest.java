package dev.replicator.platform.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DashboardFallbackTest {

  @ParameterizedTest
  @CsvSource({
    "GET, /tenants/42/tokens, text/html, true",
    "GET, /login, 'text/html,application/xhtml+xml', true",
    "GET, /tenants/42/tokens, application/json, false",
    "GET, /assets/app-123.js, text/html, false",
    "GET, /api/v1/nothing, text/html, false",
    "POST, /tenants, text/html, false"
  })
  void onlyPageNavigationsGetTheDashboard(
      String method, String path, String accept, boolean expected) {
    HttpRequest<?> request =
        HttpRequest.create(HttpMethod.valueOf(method), path).header("Accept", accept);
    assertThat(DashboardFallback.isPageNavigation(request)).isEqualTo(expected);
  }
}
