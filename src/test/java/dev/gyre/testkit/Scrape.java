package dev.gyre.testkit;

import io.vertx.core.http.HttpMethod;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Reads a node's /metrics (Prometheus text format) in tests. */
public final class Scrape {
  private Scrape() {}

  /** GET /metrics; fails unless it answers 200. */
  public static String metrics(TestServer server) {
    ApiClient.Response r = server.api().request(HttpMethod.GET, "/metrics", null, null);
    assertThat(r.status()).isEqualTo(200);
    return r.body();
  }

  /** The value of one series, written exactly as in the exposition (name and labels); fails when absent. */
  public static double value(String body, String series) {
    Matcher m = Pattern.compile("^" + Pattern.quote(series) + " ([0-9.eE+-]+)$", Pattern.MULTILINE).matcher(body);
    if (!m.find()) throw new AssertionError(series + " not in /metrics:\n" + body);
    return Double.parseDouble(m.group(1));
  }
}
