package dev.gyre.node;

import dev.gyre.testkit.ApiClient;
import dev.gyre.testkit.Scrape;
import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.Tokens;
import dev.gyre.testkit.WsClient;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;

/**
 * Centrifugo's command, API, close, subscription and recovery metrics (spec/config.md §7.2): the
 * histograms in Prometheus's exposition (buckets, sum, count) and the counters, driven by real
 * clients and API calls.
 */
class CommandMetricsTest {
  static TestServer server;

  @BeforeAll
  static void start() {
    server = TestServer.start(new JsonObject().put("prometheus", new JsonObject().put("enabled", true))
        .put("channel", new JsonObject()
            .put("without_namespace", new JsonObject().put("allow_subscribe_for_client", true))
            .put("namespaces", new JsonArray().add(new JsonObject().put("name", "hist").put("history_size", 10)
                .put("history_ttl", "60s").put("force_recovery", true).put("allow_subscribe_for_client", true)))));
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
  void commandsApiCallsClosesSubscriptionsAndRecoveriesAreCounted() {
    boolean recovered;
    try (WsClient a = server.client()) {
      a.connect(Tokens.user("alice"));
      a.call(2, "subscribe", new JsonObject().put("channel", "plain"));
      server.api().call("publish", new JsonObject().put("channel", "hist:news").put("data", new JsonObject().put("n", 1)));
      JsonObject sub = a.call(3, "subscribe", new JsonObject().put("channel", "hist:news").put("recover", true)
          .put("offset", 0).put("epoch", "")).getJsonObject("subscribe");
      recovered = sub.getBoolean("recovered", false);
      ApiClient.Response unknown = server.api().request(HttpMethod.POST, "/api/publish", "{\"channel\":\"nope:x\",\"data\":{}}",
          io.vertx.core.MultiMap.caseInsensitiveMultiMap().add("X-API-Key", TestServer.API_KEY));
      assertThat(unknown.body()).contains("\"code\":102");
      a.send("{not json");
      assertThat(a.awaitClose()).isEqualTo(3501);
    }
    String m = scrape();
    assertThat(m).contains("# TYPE centrifugo_client_command_duration_seconds_histogram histogram");
    assertThat(value(m, "centrifugo_client_command_duration_seconds_histogram_count{method=\"connect\"}")).isEqualTo(1);
    assertThat(value(m, "centrifugo_client_command_duration_seconds_histogram_count{method=\"subscribe\"}")).isEqualTo(2);
    assertThat(value(m, "centrifugo_client_command_duration_seconds_histogram_bucket{method=\"subscribe\",le=\"+Inf\"}"))
        .isEqualTo(2);
    assertThat(value(m, "centrifugo_client_command_duration_seconds_histogram_sum{method=\"connect\"}")).isPositive();
    assertThat(value(m, "centrifugo_api_command_duration_seconds_histogram_count{protocol=\"http\",method=\"publish\"}"))
        .isEqualTo(2);
    assertThat(value(m, "centrifugo_api_command_errors_total{protocol=\"http\",method=\"publish\",error=\"unknown_channel\"}"))
        .isEqualTo(1);
    assertThat(value(m, "centrifugo_transport_outgoing_close_count{transport=\"websocket\",code=\"3501\"}")).isEqualTo(1);
    assertThat(value(m, "centrifugo_client_subscriptions_accepted")).isEqualTo(2);
    String yesNo = recovered ? "yes" : "no";
    assertThat(value(m, "centrifugo_client_recover{recovered=\"" + yesNo + "\",has_recovered_publications=\""
        + (recovered ? "yes" : "no") + "\"}")).isEqualTo(1);
  }
}
