package dev.replicator.platform.web;

import dev.replicator.platform.roles.ApiRole;
import io.micronaut.core.io.ResourceResolver;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;

/** Serves the API contract, the same openapi.yaml the repository keeps at its root. */
@ApiRole
@Controller
@Secured(SecurityRule.IS_ANONYMOUS)
public class OpenApiController {

  static final String SPEC = "classpath:api/openapi.yaml";
  private static final MediaType YAML = MediaType.of("application/yaml");

  private final ResourceResolver resources;

  public OpenApiController(ResourceResolver resources) {
    this.resources = resources;
  }

  @Get(value = "/openapi.yaml", produces = "application/yaml")
  public HttpResponse<StreamedFile> spec() {
    return resources
        .getResource(SPEC)
        .map(url -> HttpResponse.ok(new StreamedFile(url)).contentType(YAML))
        .orElseGet(HttpResponse::notFound);
  }
}
