package dev.gyre.presence.hazelcast;

import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import dev.gyre.cluster.HazelcastSetup;
import dev.gyre.presence.PresenceStore;
import dev.gyre.presence.PresenceStoreContract;
import dev.gyre.protocol.ClientInfo;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The PresenceStore contract on real Hazelcast members, and cleanup after a member dies. */
class HazelcastPresenceStoreTest extends PresenceStoreContract {
  static Vertx vertx;
  static HazelcastInstance a;
  static final String cluster = "gyre-presence-" + UUID.randomUUID();
  static final LinkedBlockingQueue<String> gone = new LinkedBlockingQueue<>();

  static HazelcastInstance member() {
    Config c = HazelcastSetup.config(Map.of("GYRE_CLUSTER_NAME", cluster));
    c.setInstanceName("p-" + UUID.randomUUID());
    return Hazelcast.newHazelcastInstance(c);
  }

  /** A member that starts while another does may form a cluster of its own first: wait until both see each other. */
  static void awaitMembers(HazelcastInstance h, int n) {
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

  @BeforeAll
  static void start() {
    vertx = Vertx.vertx();
    a = member();
  }

  @AfterAll
  static void stop() {
    a.shutdown();
    await(vertx.close());
  }

  @Override
  protected PresenceStore store() {
    a.getMap(HazelcastPresenceStore.MAP).clear();
    return new HazelcastPresenceStore(vertx, a, (ch, info) -> gone.add(ch + "/" + info.client()));
  }

  @Test
  void entriesOfAMemberThatDiesAreRemovedAndReported() throws Exception {
    PresenceStore viaA = store();
    HazelcastInstance b = member();
    awaitMembers(b, 2);
    awaitMembers(a, 2);
    PresenceStore viaB = new HazelcastPresenceStore(vertx, b, (ch, info) -> { });
    await(viaA.add("room", new ClientInfo("alice", "ca", null, null)));
    await(viaB.add("room", new ClientInfo("bob", "cb", null, null)));
    await(viaB.add("other", new ClientInfo("bob", "cb2", null, null)));
    assertThat(await(viaA.presence("room"))).containsOnlyKeys("ca", "cb");
    b.getLifecycleService().terminate();
    assertThat(java.util.List.of(gone.poll(20, TimeUnit.SECONDS), gone.poll(20, TimeUnit.SECONDS)))
        .containsExactlyInAnyOrder("room/cb", "other/cb2");
    assertThat(await(viaA.presence("room"))).containsOnlyKeys("ca");
    assertThat(await(viaA.presence("other"))).isEmpty();
  }
}
