package dev.replicator.tenancy.auth;

import dev.replicator.platform.roles.ApiRole;
import dev.replicator.platform.web.ClientAddress;
import dev.replicator.tenancy.Caller;
import io.micronaut.core.async.publisher.Publishers;
import io.micronaut.http.HttpRequest;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.token.validator.TokenValidator;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.reactivestreams.Publisher;

/**
 * Micronaut Security's hook for bearer tokens and the session cookie. The database lookup runs on
 * the blocking executor, never on the event loop.
 */
@ApiRole
@Singleton
public class CredentialValidator implements TokenValidator<HttpRequest<?>> {

  private final CallerResolver callers;
  private final ExecutorService blocking;

  CredentialValidator(
      CallerResolver callers, @Named(TaskExecutors.BLOCKING) ExecutorService blocking) {
    this.callers = callers;
    this.blocking = blocking;
  }

  @Override
  public Publisher<Authentication> validateToken(String token, HttpRequest<?> request) {
    String address = request == null ? "unknown" : ClientAddress.of(request);
    return Publishers.fromCompletableFuture(
        () ->
            CompletableFuture.supplyAsync(
                () -> callers.resolve(token, address).map(Caller::toAuthentication).orElse(null),
                blocking));
  }
}
