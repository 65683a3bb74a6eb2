package dev.replicator.platform.web;

import dev.replicator.platform.problem.Problem;
import dev.replicator.platform.problem.Problems;
import dev.replicator.platform.roles.ApiRole;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import java.util.List;
import java.util.Optional;

/**
 * The dashboard is a single-page app: a browser that opens or reloads a client-side route such as
 * {@code /tenants/42/tokens} gets {@code index.html}. Only page navigations qualify (GET, outside
 * {@code /api/}, accepting HTML, no file extension), so a missing script or API path still gets a
 * real 404.
 */
@ApiRole
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class DashboardFallback {

  private static final String INDEX = "classpath:public/index.html";

  private final ResourceResolver resources;

  public DashboardFallback(ResourceResolver resources) {
    this.resources = resources;
  }

  @Error(status = HttpStatus.NOT_FOUND, global = true)
  public HttpResponse<?> notFound(HttpRequest<?> request) {
    if (isPageNavigation(request)) {
      Optional<StreamedFile> index = resources.getResource(INDEX).map(url -> new StreamedFile(url));
      if (index.isPresent()) {
        return HttpResponse.ok(index.get())
            .contentType(MediaType.TEXT_HTML_TYPE)
            .header("Cache-Control", "no-cache");
      }
    }
    return Problems.response(
        Problems.of(
            HttpStatus.NOT_FOUND,
            "not-found",
            "Nothing exists at " + request.getPath() + ". Check the URL against /openapi.yaml.",
            List.<Problem.FieldError>of()));
  }

  static boolean isPageNavigation(HttpRequest<?> request) {
    String path = request.getPath();
    String last = path.substring(path.lastIndexOf('/') + 1);
    return request.getMethod() == HttpMethod.GET
        && !path.startsWith("/api/")
        && !path.equals("/api")
        && !last.contains(".")
        && request.getHeaders().accept().stream()
            .anyMatch(type -> type.matches(MediaType.TEXT_HTML_TYPE));
  }
}
