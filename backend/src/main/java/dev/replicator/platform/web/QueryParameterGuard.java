package dev.replicator.platform.web;

import dev.replicator.platform.problem.ApiException;
import dev.replicator.platform.problem.Problems;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.http.filter.ServerFilterPhase;
import java.util.List;
import java.util.Map;

/**
 * Refuses query parameters holding U+0000 (sent as {@code %00}) before any controller sees them:
 * PostgreSQL cannot compare text with it, so a filter such as {@code ?prefix=} would otherwise fail
 * with a 500. Runs after authentication, so that an anonymous caller learns nothing but 401.
 */
@ServerFilter("/api/**")
public class QueryParameterGuard implements Ordered {

  @RequestFilter
  @Nullable
  public HttpResponse<?> refuseNul(HttpRequest<?> request) {
    for (Map.Entry<String, List<String>> parameter : request.getParameters()) {
      String name = parameter.getKey();
      if (name.indexOf('\0') >= 0) {
        return Problems.response(
            ApiException.invalidField(
                name.replace("\0", "%00"),
                "is a parameter name with the character U+0000 (NUL); remove it"));
      }
      if (parameter.getValue().stream().anyMatch(value -> value.indexOf('\0') >= 0)) {
        return Problems.response(
            ApiException.invalidField(name, "must not contain the character U+0000 (NUL)"));
      }
    }
    return null;
  }

  @Override
  public int getOrder() {
    return ServerFilterPhase.SECURITY.after();
  }
}
