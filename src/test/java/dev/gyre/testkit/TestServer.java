package dev.gyre.testkit;

import dev.gyre.config.GyreConfig;
import dev.gyre.server.GyreServer;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;

/**
 * A real Gyre node on a free loopback port, for integration tests. Configuration is given in
 * the v6 nested layout and merged over a base with the test HMAC secret and API key.
 */
public final class TestServer implements AutoCloseable {
  public static final String SECRET = "test-secret-key-0123456789";
  public static final String API_KEY = "test-api-key";

  public final Vertx vertx;
  public final GyreServer server;
  public final int port;

  private TestServer(Vertx vertx, GyreServer server, int port) {
    this.vertx = vertx;
    this.server = server;
    this.port = port;
  }

  /** The base configuration every test server starts from. */
  public static JsonObject baseConfig() {
    return new JsonObject()
        .put("client", new JsonObject().put("token", new JsonObject().put("hmac_secret_key", SECRET)))
        .put("http_api", new JsonObject().put("key", API_KEY));
  }

  public static TestServer start(JsonObject overrides) {
    return start(overrides, 2);
  }

  public static TestServer start(JsonObject overrides, int instances) {
    int port = freePort();
    JsonObject cfg = baseConfig().mergeIn(overrides, true);
    cfg.put("http_server", new JsonObject().put("port", port).put("address", "127.0.0.1"));
    Vertx vertx = Vertx.vertx();
    try {
      GyreServer server = GyreServer.start(vertx, GyreConfig.from(cfg), instances)
          .toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      return new TestServer(vertx, server, port);
    } catch (Exception e) {
      vertx.close();
      throw new IllegalStateException("test server did not start", e);
    }
  }

  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String wsUrl() {
    return "ws://127.0.0.1:" + port + "/connection/websocket";
  }

  public WsClient client() {
    return WsClient.connect(vertx, port, "/connection/websocket", null);
  }

  public ApiClient api() {
    return new ApiClient(port);
  }

  @Override
  public void close() {
    try {
      server.stop().compose(v -> vertx.close()).toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("test server did not stop", e);
    }
  }
}
