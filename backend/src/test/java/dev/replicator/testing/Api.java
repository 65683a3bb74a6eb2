package dev.replicator.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A test client for the REST API. Every exchange is checked against openapi.yaml ({@link
 * ContractValidator}): a request the contract does not describe, or a response that does not match
 * it, fails the test. Requests that are malformed on purpose use {@link #unchecked()}, which still
 * checks the response.
 */
public final class Api {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String DEFAULT_ACCEPT = "application/json, */*;q=0.5";

  private final String baseUrl;
  private final String token;
  private final HttpClient http;
  private final boolean checkRequests;
  private final String cookie;
  private final String accept;

  Api(String baseUrl, String token) {
    this(
        baseUrl,
        token,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        true,
        null,
        DEFAULT_ACCEPT);
  }

  private Api(
      String baseUrl,
      String token,
      HttpClient http,
      boolean checkRequests,
      String cookie,
      String accept) {
    this.baseUrl = baseUrl;
    this.token = token;
    this.http = http;
    this.checkRequests = checkRequests;
    this.cookie = cookie;
    this.accept = accept;
  }

  public Api withToken(String bearer) {
    return new Api(baseUrl, bearer, http, checkRequests, cookie, accept);
  }

  /** A browser-like client that keeps cookies, as the dashboard does. */
  public Api withCookies() {
    return new Api(
        baseUrl,
        token,
        HttpClient.newBuilder().cookieHandler(new CookieManager()).build(),
        checkRequests,
        cookie,
        accept);
  }

  /** Sends this exact cookie with every request, e.g. to replay a session cookie after sign-out. */
  public Api withCookie(String name, String value) {
    return new Api(baseUrl, token, http, checkRequests, name + "=" + value, accept);
  }

  /** Requests are sent as given, even when they break the contract; responses are still checked. */
  public Api unchecked() {
    return new Api(baseUrl, token, http, false, cookie, accept);
  }

  /** Sends this Accept header instead of one that takes JSON. */
  public Api withAccept(String mediaTypes) {
    return new Api(baseUrl, token, http, checkRequests, cookie, mediaTypes);
  }

  public Response get(String path) {
    return send("GET", path, null, null);
  }

  public Response delete(String path) {
    return send("DELETE", path, null, null);
  }

  public Response post(String path, Object body) {
    return send("POST", path, body == null ? null : toJson(body), "application/json");
  }

  public Response put(String path, Object body) {
    return send("PUT", path, toJson(body), "application/json");
  }

  public Response post(String path) {
    return send("POST", path, null, null);
  }

  public Response send(String method, String path, String body, String contentType) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(Duration.ofSeconds(30));
    builder.header("Accept", accept);
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    if (contentType != null) {
      builder.header("Content-Type", contentType);
    }
    if (cookie != null) {
      builder.header("Cookie", cookie);
    }
    builder.method(
        method,
        body == null
            ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(body));
    try {
      HttpResponse<String> raw = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
      Response response = new Response(raw.statusCode(), raw.headers().map(), raw.body());
      ContractValidator.check(
          method, path, token != null, contentType, body, response, checkRequests);
      return response;
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  static String toJson(Object body) {
    if (body instanceof String s) {
      return s;
    }
    try {
      return JSON.writeValueAsString(body);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** One HTTP response. */
  public record Response(int status, Map<String, java.util.List<String>> headers, String body) {

    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    public String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .flatMap(e -> e.getValue().stream())
          .findFirst()
          .orElse(null);
    }

    public String contentType() {
      return header("Content-Type");
    }

    @Override
    public String toString() {
      return status + " " + body;
    }
  }
}
