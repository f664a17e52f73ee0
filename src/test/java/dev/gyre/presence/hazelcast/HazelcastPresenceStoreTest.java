package dev.gyre.presence.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.gyre.testkit.HazelcastMembers;
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
    return HazelcastMembers.start(cluster);
  }

  static void awaitMembers(HazelcastInstance h, int n) {
    HazelcastMembers.awaitMembers(h, n);
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
