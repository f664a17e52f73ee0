package dev.gyre.node;

import dev.gyre.testkit.Scrape;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/** /metrics in Prometheus format under Centrifugo's metric names. */
class MetricsTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("prometheus", new JsonObject().put("enabled", true))
        .put("channel", new JsonObject().put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true))));
  }

  @AfterAll
  static void stop() {
    server.close();
  }

  private static double value(String body, String series) {
    return Scrape.value(body, series);
  }

  private static String scrape() {
    return Scrape.metrics(server);
  }

  @Test
  void nodeGaugesAndTransportCountersFollowTheClients() throws InterruptedException {
    String before = scrape();
    assertThat(value(before, "centrifugo_node_num_clients")).isZero();
    assertThat(before).contains("centrifugo_node_build{version=\"").contains("jvm_memory_used_bytes");
    try (WsClient a = server.client(); WsClient b = server.client()) {
      a.connect(Tokens.user("alice"));
      b.connect(Tokens.user("bob"));
      a.call(2, "subscribe", new JsonObject().put("channel", "m1"));
      b.call(2, "subscribe", new JsonObject().put("channel", "m1"));
      b.call(3, "subscribe", new JsonObject().put("channel", "m2"));
      b.call(4, "subscribe", new JsonObject().put("channel", "$private")); // 103
      String during = scrape();
      assertThat(value(during, "centrifugo_node_num_clients")).isEqualTo(2);
      assertThat(value(during, "centrifugo_node_num_users")).isEqualTo(2);
      assertThat(value(during, "centrifugo_node_num_subscriptions")).isEqualTo(3);
      assertThat(value(during, "centrifugo_node_num_channels")).isEqualTo(2);
      assertThat(value(during, "centrifugo_client_connections_accepted{transport=\"websocket\"}")).isEqualTo(2);
      assertThat(value(during, "centrifugo_client_num_reply_errors{method=\"subscribe\",code=\"103\"}")).isEqualTo(1);
      assertThat(value(during, "centrifugo_transport_messages_received{transport=\"websocket\"}")).isEqualTo(6);
      assertThat(value(during, "centrifugo_transport_messages_sent{transport=\"websocket\"}")).isEqualTo(6);
      assertThat(during).doesNotContain("centrifugo_transport_messages_sent_total");
    }
    long deadline = System.currentTimeMillis() + 5000;
    while (value(scrape(), "centrifugo_node_num_clients") != 0 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    String after = scrape();
    assertThat(value(after, "centrifugo_node_num_clients")).isZero();
    assertThat(value(after, "centrifugo_node_num_subscriptions")).isZero();
    assertThat(value(after, "centrifugo_node_num_channels")).isZero();
  }
}
