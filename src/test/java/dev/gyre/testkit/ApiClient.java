package dev.gyre.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A plain HTTP client for the server API, on the JDK's own HTTP client (keep-alive, like real
 * backends), independent of Vert.x. Every call is bounded.
 */
public final class ApiClient {
  /** A response: status, body text and headers. */
  public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
    public JsonObject json() { return new JsonObject(body); }
  }

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final int port;

  ApiClient(int port) {
    this.port = port;
  }

  /** POST /api/<method> with the test API key; fails unless the status is 200. */
  public JsonObject call(String method, JsonObject body) {
    Response r = request(HttpMethod.POST, "/api/" + method, body.encode(),
        MultiMap.caseInsensitiveMultiMap().add("X-API-Key", TestServer.API_KEY));
    if (r.status() != 200) throw new AssertionError("status " + r.status() + ": " + r.body());
    return r.json();
  }

  public Response request(HttpMethod method, String path, String body, MultiMap headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(5))
        .method(method.name(), body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (headers != null) headers.forEach(b::header);
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers().map());
    } catch (Exception e) {
      throw new AssertionError("HTTP request " + method + " " + path + " failed", e);
    }
  }
}
