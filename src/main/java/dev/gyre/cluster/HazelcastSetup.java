package dev.gyre.cluster;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The Hazelcast configuration of a Gyre cluster. It starts from {@code cluster.xml} (the file
 * named by {@code GYRE_CLUSTER_CONFIG}, else ./cluster.xml, else the one in the jar), which keeps
 * the maps Vert.x needs, then applies what the environment says:
 * <ul>
 *   <li>{@code GYRE_CLUSTER_NAME}: the cluster name (nodes with another name never join);
 *   <li>{@code GYRE_CLUSTER_MEMBERS}: comma-separated TCP members (default 127.0.0.1);
 *   <li>{@code GYRE_CLUSTER_HOST}: the interface Hazelcast binds to (default 127.0.0.1);
 *   <li>{@code GYRE_KUBERNETES_SERVICE_DNS}: when set, Kubernetes DNS discovery through that
 *       headless service replaces TCP members.
 * </ul>
 * Multicast, auto-detection and phone-home are always off; a silent member is dropped after
 * {@value #NO_HEARTBEAT_SECONDS} s.
 */
public final class HazelcastSetup {
  static final int NO_HEARTBEAT_SECONDS = 8;
  /** Every environment variable the cluster setup reads (the k8s manifests are checked against it). */
  public static final java.util.List<String> ENV = java.util.List.of("GYRE_CLUSTER_CONFIG", "GYRE_CLUSTER_NAME",
      "GYRE_CLUSTER_MEMBERS", "GYRE_CLUSTER_HOST", "GYRE_CLUSTER_PUBLIC_HOST", "GYRE_KUBERNETES_SERVICE_DNS");

  private HazelcastSetup() {}

  public static Config config(Map<String, String> env) {
    Config config;
    String file = env.getOrDefault("GYRE_CLUSTER_CONFIG", "cluster.xml");
    if (Files.exists(Path.of(file))) {
      System.setProperty("vertx.hazelcast.config", Path.of(file).toAbsolutePath().toString());
    }
    config = ConfigUtil.loadConfig();
    config.setClusterName(env.getOrDefault("GYRE_CLUSTER_NAME", config.getClusterName()));
    config.setProperty("hazelcast.phone.home.enabled", "false");
    config.setProperty("hazelcast.logging.type", "slf4j");
    config.setProperty("hazelcast.wait.seconds.before.join", "0");
    config.setProperty("hazelcast.heartbeat.interval.seconds", "1");
    config.setProperty("hazelcast.max.no.heartbeat.seconds", String.valueOf(NO_HEARTBEAT_SECONDS));
    config.setProperty("hazelcast.merge.first.run.delay.seconds", "5");
    config.setProperty("hazelcast.shutdownhook.enabled", "false");
    String host = env.getOrDefault("GYRE_CLUSTER_HOST", "127.0.0.1");
    JoinConfig join = config.getNetworkConfig().getJoin();
    join.getMulticastConfig().setEnabled(false);
    join.getAutoDetectionConfig().setEnabled(false);
    // Bind to one interface only: loopback on one machine, the pod IP on Kubernetes.
    config.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(java.util.List.of(host));
    String dns = env.get("GYRE_KUBERNETES_SERVICE_DNS");
    if (dns != null && !dns.isEmpty()) {
      join.getTcpIpConfig().setEnabled(false);
      join.getKubernetesConfig().setEnabled(true).setProperty("service-dns", dns);
    } else {
      join.getKubernetesConfig().setEnabled(false);
      java.util.List<String> members = new java.util.ArrayList<>();
      for (String m : env.getOrDefault("GYRE_CLUSTER_MEMBERS", host).split(",")) {
        if (!m.isBlank()) members.add(m.trim());
      }
      join.getTcpIpConfig().setEnabled(true).setMembers(members);
    }
    historyMap(config);
    return config;
  }

  /** History and presence maps: one synchronous backup, so one member can die without losing them. */
  public static void historyMap(Config config) {
    config.addMapConfig(new MapConfig(dev.gyre.history.hazelcast.HazelcastHistoryStore.MAP).setBackupCount(1));
    config.addMapConfig(new MapConfig(dev.gyre.presence.hazelcast.HazelcastPresenceStore.MAP).setBackupCount(1));
  }
}
