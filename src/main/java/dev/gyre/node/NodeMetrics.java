package dev.gyre.node;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The node's meters under Centrifugo's names (spec/config.md §7.2), so that its Grafana
 * dashboard works: node gauges, transport message counters, reply errors — beside the JVM's and
 * (when Vert.x is built with this registry) Vert.x's own. Thread-safe.
 *
 * <p>Centrifugo's counters carry no {@code _total} suffix, which Micrometer's Prometheus
 * registry would add; so Gyre's counters are kept here and written in the exposition format by
 * {@link #scrape} themselves, ahead of the registry's meters.
 */
public final class NodeMetrics {
  private final PrometheusMeterRegistry registry;
  private final Map<String, Count> counters = new ConcurrentHashMap<>();
  private final Map<String, Durations> histograms = new ConcurrentHashMap<>();
  /** By method alone: a command's series is found without building its label text. */
  private final Map<String, Durations> clientCommands = new ConcurrentHashMap<>();
  /** Prometheus's default buckets, as Centrifugo's histograms use. */
  static final double[] BUCKETS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

  /** One histogram series of durations in seconds. */
  public static final class Durations {
    final String name;
    final String labels;
    private final LongAdder[] buckets = new LongAdder[BUCKETS.length];
    private final LongAdder count = new LongAdder();
    private final java.util.concurrent.atomic.DoubleAdder sum = new java.util.concurrent.atomic.DoubleAdder();

    Durations(String name, String labels) {
      this.name = name;
      this.labels = labels;
      for (int i = 0; i < buckets.length; i++) buckets[i] = new LongAdder();
    }

    /** Records the time since {@code startNanos} (from {@link System#nanoTime()}). */
    public void since(long startNanos) {
      double seconds = (System.nanoTime() - startNanos) / 1e9;
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          buckets[i].increment();
          break;
        }
      }
      count.increment();
      sum.add(seconds);
    }

    public long count() { return count.sum(); }

    void write(StringBuilder sb) {
      String inner = labels.isEmpty() ? "" : labels.substring(1, labels.length() - 1);
      String sep = inner.isEmpty() ? "" : ",";
      long cumulative = 0;
      for (int i = 0; i < BUCKETS.length; i++) {
        cumulative += buckets[i].sum();
        sb.append(name).append("_bucket{").append(inner).append(sep).append("le=\"").append(BUCKETS[i]).append("\"} ")
            .append(cumulative).append('\n');
      }
      sb.append(name).append("_bucket{").append(inner).append(sep).append("le=\"+Inf\"} ").append(count()).append('\n');
      sb.append(name).append("_sum").append(labels).append(' ').append(sum.sum()).append('\n');
      sb.append(name).append("_count").append(labels).append(' ').append(count()).append('\n');
    }
  }

  /** One counter series: a name, its labels, and a value that only grows. */
  public static final class Count {
    final String name;
    final String labels;
    private final LongAdder value = new LongAdder();

    Count(String name, String labels) {
      this.name = name;
      this.labels = labels;
    }

    public void increment() { value.increment(); }
    public void increment(long n) { value.add(n); }
    public long value() { return value.sum(); }
  }

  public NodeMetrics(Node node) {
    this(node, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public NodeMetrics(Node node, PrometheusMeterRegistry registry) {
    this.registry = registry;
    Gauge.builder("centrifugo_node_num_clients", node, Node::numClients).register(registry);
    Gauge.builder("centrifugo_node_num_users", node, Node::numUsers).register(registry);
    Gauge.builder("centrifugo_node_num_subscriptions", node, Node::numSubscriptions).register(registry);
    Gauge.builder("centrifugo_node_num_channels", node, Node::numChannels).register(registry);
    Gauge.builder("centrifugo_node_num_nodes", node, Node::numNodes).register(registry);
    Gauge.builder("centrifugo_node_build", () -> 1).tag("version", Version.REPORTED).register(registry);
    new JvmMemoryMetrics().bindTo(registry);
    new JvmGcMetrics().bindTo(registry);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** The Prometheus text exposition of every meter. */
  public String scrape() {
    StringBuilder sb = new StringBuilder();
    Map<String, List<Count>> byName = new TreeMap<>();
    for (Count c : counters.values()) byName.computeIfAbsent(c.name, n -> new ArrayList<>()).add(c);
    byName.forEach((name, series) -> {
      sb.append("# TYPE ").append(name).append(" counter\n");
      for (Count c : series) sb.append(name).append(c.labels).append(' ').append(c.value()).append('\n');
    });
    Map<String, List<Durations>> histogramsByName = new TreeMap<>();
    for (Durations d : histograms.values()) histogramsByName.computeIfAbsent(d.name, n -> new ArrayList<>()).add(d);
    histogramsByName.forEach((name, series) -> {
      sb.append("# TYPE ").append(name).append(" histogram\n");
      for (Durations d : series) d.write(sb);
    });
    return sb.append(registry.scrape()).toString();
  }

  public void connectionAccepted(String transport) {
    counter("centrifugo_client_connections_accepted", "transport", transport).increment();
  }

  /** The counter of messages sent over a transport; sessions keep it to count on the hot path. */
  public Count messagesSent(String transport) {
    return counter("centrifugo_transport_messages_sent", "transport", transport);
  }

  public Count messagesReceived(String transport) {
    return counter("centrifugo_transport_messages_received", "transport", transport);
  }

  public void replyError(String method, int code) {
    counter("centrifugo_client_num_reply_errors", "method", method, "code", String.valueOf(code)).increment();
  }

  public void serverDisconnect(int code) {
    counter("centrifugo_client_num_server_disconnects", "code", String.valueOf(code)).increment();
  }

  /** A channel event sent by this node: publication, join or leave. */
  public void messageSent(String type) {
    counter("centrifugo_node_messages_sent_count", "type", type).increment();
  }

  /** How long client commands take, by method (connect, subscribe, publish, ...). */
  public Durations clientCommand(String method) {
    Durations d = clientCommands.get(method);
    return d != null ? d : clientCommands.computeIfAbsent(method,
        m -> histogram("centrifugo_client_command_duration_seconds_histogram", "method", m));
  }

  /**
   * How long server API commands take, by protocol (http, grpc) and method. Builds the series'
   * labels: callers on a hot path keep the result.
   */
  public Durations apiCommand(String protocol, String method) {
    return histogram("centrifugo_api_command_duration_seconds_histogram", "protocol", protocol, "method", method);
  }

  public void apiCommandError(String protocol, String method, String error) {
    counter("centrifugo_api_command_errors_total", "protocol", protocol, "method", method, "error", error).increment();
  }

  /** A close frame (or the transport's equivalent) sent to a client. */
  public void outgoingClose(String transport, int code) {
    counter("centrifugo_transport_outgoing_close_count", "transport", transport, "code", String.valueOf(code)).increment();
  }

  public void subscriptionAccepted() {
    counter("centrifugo_client_subscriptions_accepted").increment();
  }

  /** A subscription that asked to recover: whether it did, and whether publications came back. */
  public void recover(boolean recovered, boolean hasPublications) {
    counter("centrifugo_client_recover", "recovered", recovered ? "yes" : "no",
        "has_recovered_publications", hasPublications ? "yes" : "no").increment();
  }

  private static String labels(String... tags) {
    if (tags.length == 0) return "";
    StringBuilder labels = new StringBuilder("{");
    for (int i = 0; i < tags.length; i += 2) {
      if (i > 0) labels.append(',');
      labels.append(tags[i]).append("=\"").append(tags[i + 1].replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    return labels.append('}').toString();
  }

  private Count counter(String name, String... tags) {
    String l = labels(tags);
    return counters.computeIfAbsent(name + l, k -> new Count(name, l));
  }

  private Durations histogram(String name, String... tags) {
    String l = labels(tags);
    return histograms.computeIfAbsent(name + l, k -> new Durations(name, l));
  }

  /** The current value of a counter series, for tests and the info API. */
  public long value(String name, String... tags) {
    return counter(name, tags).value();
  }
}
