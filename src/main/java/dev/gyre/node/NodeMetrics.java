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

  public void apiCommand(String protocol, String method) {
    counter("centrifugo_api_command_count", "protocol", protocol, "method", method).increment();
  }

  private Count counter(String name, String... tags) {
    StringBuilder labels = new StringBuilder("{");
    for (int i = 0; i < tags.length; i += 2) {
      if (i > 0) labels.append(',');
      labels.append(tags[i]).append("=\"").append(tags[i + 1].replace("\\", "\\\\").replace("\"", "\\\""))
          .append('"');
    }
    String l = labels.append('}').toString();
    return counters.computeIfAbsent(name + l, k -> new Count(name, l));
  }

  /** The current value of a counter series, for tests and the info API. */
  public long value(String name, String... tags) {
    return counter(name, tags).value();
  }
}
