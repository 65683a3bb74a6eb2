package dev.replicator.tenancy.auth;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.cookie.Cookie;
import io.micronaut.security.token.reader.TokenReader;
import jakarta.inject.Singleton;
import java.util.Optional;

/**
 * Reads the dashboard's session cookie; the bearer header is read by Micronaut Security's own
 * reader.
 */
@Singleton
public class SessionCookieReader implements TokenReader<HttpRequest<?>> {

  @Override
  public Optional<String> findToken(HttpRequest<?> request) {
    return request
        .getCookies()
        .findCookie(AuthSettings.SESSION_COOKIE)
        .map(Cookie::getValue)
        .filter(v -> !v.isBlank());
  }
}
