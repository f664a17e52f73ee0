package dev.gyre.testkit;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gyre.cluster.HazelcastSetup;

import java.util.Map;
import java.util.UUID;

/** Real Hazelcast members on 127.0.0.1 for tests, in a cluster of the test's own name. */
public final class HazelcastMembers {
  private HazelcastMembers() {}

  public static HazelcastInstance start(String clusterName) {
    Config c = HazelcastSetup.config(Map.of("GYRE_CLUSTER_NAME", clusterName));
    c.setInstanceName("m-" + UUID.randomUUID());
    return Hazelcast.newHazelcastInstance(c);
  }

  /**
   * Waits until the member sees {@code n} members: one that starts while another does may form
   * a cluster of its own first, merged only seconds later.
   */
  public static void awaitMembers(HazelcastInstance h, int n) {
    long deadline = System.currentTimeMillis() + 30_000;
    while (h.getCluster().getMembers().size() < n) {
      if (System.currentTimeMillis() > deadline) throw new AssertionError("cluster did not reach " + n + " members");
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
