package dev.gyre.bench;

import dev.gyre.testkit.TestServer;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bench command against a real node: small, bounded runs whose numbers must add up. */
class BenchCommandTest {
  static TestServer server;
  static int grpcPort = TestServer.freePort();

  @TempDir
  Path dir;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("channel", new JsonObject()
        .put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true)))
        .put("grpc_api", new JsonObject().put("enabled", true).put("port", grpcPort).put("address", "127.0.0.1")
            .put("key", TestServer.API_KEY)));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private JsonObject run(String... args) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Path result = dir.resolve("result.json");
    String[] all = new String[args.length + 10];
    System.arraycopy(args, 0, all, 0, args.length);
    System.arraycopy(new String[] {"--url", "ws://127.0.0.1:" + server.port + "/connection/websocket",
        "--api", "http://127.0.0.1:" + server.port + "/api", "--api-key", TestServer.API_KEY,
        "--secret", TestServer.SECRET, "--out", result.toString()}, 0, all, args.length, 10);
    int code = BenchCommand.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(Files.readString(dir.resolve("result.html"))).contains("<svg").contains("Gyre bench");
    return new JsonObject(Files.readString(result));
  }

  @Test
  void fanoutDeliversEveryPublicationToEverySubscriberWithLatencies() throws Exception {
    JsonObject r = run("fanout", "--subscribers", "20", "--rate", "50", "--count", "40", "--duration", "5s",
        "--format", "json");
    assertThat(r.getLong("published")).isEqualTo(40);
    assertThat(r.getLong("delivered")).isEqualTo(800);
    assertThat(r.getLong("lost")).isZero();
    assertThat(r.getLong("duplicates")).isZero();
    assertThat(r.getJsonObject("latency_ms").getLong("count")).isEqualTo(800);
    assertThat(r.getJsonObject("latency_ms").getDouble("p99")).isPositive();
  }

  @Test
  void protobufChannelsAndPublishScenarios() throws Exception {
    JsonObject channels = run("channels", "--subscribers", "10", "--rate", "100", "--count", "50", "--duration", "5s",
        "--format", "protobuf");
    assertThat(channels.getLong("delivered")).isEqualTo(50);
    assertThat(channels.getLong("lost")).isZero();
    JsonObject publish = run("publish", "--concurrency", "4", "--duration", "1s");
    assertThat(publish.getLong("published")).isPositive();
    assertThat(publish.getLong("publish_errors")).isZero();
    assertThat(publish.getDouble("requests_per_s")).isPositive();
    JsonObject grpc = run("publish", "--concurrency", "4", "--duration", "1s", "--grpc", "127.0.0.1:" + grpcPort);
    assertThat(grpc.getString("protocol")).isEqualTo("grpc");
    assertThat(grpc.getLong("published")).isPositive();
    assertThat(grpc.getLong("publish_errors")).isZero();
  }

  @Test
  void connectionsAreOpenedAndCounted() throws Exception {
    JsonObject r = run("connections", "--connections", "50", "--hold", "1s");
    assertThat(r.getInteger("connections")).isEqualTo(50);
    assertThat(r.getJsonObject("connect_latency_ms").getLong("count")).isEqualTo(50);
  }

  @Test
  void refusesRemoteTargetsAndBadScenarios() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
    assertThat(BenchCommand.run(new String[] {"fanout", "--url", "ws://10.1.2.3:8000/connection/websocket"},
        System.out, e)).isEqualTo(1);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not loopback");
    assertThat(BenchCommand.run(new String[] {"nonsense"}, System.out, e)).isEqualTo(1);
  }
}
