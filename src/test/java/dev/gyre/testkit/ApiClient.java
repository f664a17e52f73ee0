package dev.gyre.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/** A plain HTTP client for the server API; every call is bounded. */
public final class ApiClient {
  /** A response: status, body text and headers. */
  public record Response(int status, String body, MultiMap headers) {
    public JsonObject json() { return new JsonObject(body); }
  }

  private final HttpClient http;
  private final int port;

  ApiClient(Vertx vertx, int port) {
    this.http = vertx.createHttpClient();
    this.port = port;
  }

  /** POST /api/<method> with the test API key. */
  public JsonObject call(String method, JsonObject body) {
    Response r = request(HttpMethod.POST, "/api/" + method, body.encode(),
        MultiMap.caseInsensitiveMultiMap().add("X-API-Key", TestServer.API_KEY));
    if (r.status() != 200) throw new AssertionError("status " + r.status() + ": " + r.body());
    return r.json();
  }

  public Response request(HttpMethod method, String path, String body, MultiMap headers) {
    RequestOptions o = new RequestOptions().setMethod(method).setHost("127.0.0.1").setPort(port).setURI(path);
    if (headers != null) o.setHeaders(headers);
    try {
      return http.request(o)
          .compose(req -> body == null ? req.send() : req.send(Buffer.buffer(body)))
          .compose(resp -> resp.body().map(b -> new Response(resp.statusCode(), b.toString(), resp.headers())))
          .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new AssertionError("HTTP request failed", e);
    }
  }
}
