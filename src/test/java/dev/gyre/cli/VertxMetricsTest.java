package dev.gyre.cli;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Vert.x's own meters are collected only when /metrics serves them (prometheus.enabled). */
class VertxMetricsTest {

  private static boolean metricsEnabled(boolean prometheus) throws Exception {
    Vertx vertx = Commands.vertxBuilder(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), prometheus).build();
    try {
      return vertx.isMetricsEnabled();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void vertxMetersFollowPrometheusEnabled() throws Exception {
    assertThat(metricsEnabled(true)).isTrue();
    assertThat(metricsEnabled(false)).isFalse();
  }
}
