package dev.gyre.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.ServerWebSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * The raw ceiling: a bare Vert.x WebSocket broadcast server with no protocol at all. Every body
 * POSTed to /pub is written as one text frame to every connected socket. Gyre's figures are
 * reported beside it, measured on the same machine in the same run.
 */
final class CeilingServer {
  private final List<ServerWebSocket> sockets = new ArrayList<>();
  private HttpServer server;

  Future<Integer> start(Vertx vertx, int port) {
    server = vertx.createHttpServer();
    server.webSocketHandler(ws -> {
      sockets.add(ws);
      ws.closeHandler(v -> sockets.remove(ws));
    });
    server.requestHandler(req -> {
      if (!req.path().equals("/pub")) {
        req.response().setStatusCode(404).end();
        return;
      }
      req.body().onSuccess(body -> {
        String text = body.toString();
        for (ServerWebSocket ws : sockets) ws.writeTextMessage(text);
        req.response().end(Buffer.buffer("{}"));
      });
    });
    return server.listen(port, "127.0.0.1").map(HttpServer::actualPort);
  }

  Future<Void> stop() {
    return server.close();
  }

  /** Starts the ceiling server in a process of its own (pinned with taskset when cpus given). */
  static Process spawn(int port, String cpus) throws java.io.IOException {
    List<String> cmd = new ArrayList<>();
    if (!cpus.isEmpty()) cmd.addAll(List.of("taskset", "-c", cpus));
    cmd.addAll(List.of(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), CeilingServer.class.getName(), String.valueOf(port)));
    return new ProcessBuilder(cmd).inheritIO().start();
  }

  /** Runs the ceiling server alone: java -cp gyre.jar dev.gyre.bench.CeilingServer PORT. */
  public static void main(String[] args) {
    Vertx vertx = Vertx.vertx(new io.vertx.core.VertxOptions().setPreferNativeTransport(true).setEventLoopPoolSize(1));
    new CeilingServer().start(vertx, Integer.parseInt(args[0]));
  }
}
