package dev.gyre.history.hazelcast;

import com.hazelcast.core.HazelcastInstance;
import dev.gyre.testkit.HazelcastMembers;
import dev.gyre.history.AppendRequest;
import dev.gyre.history.HistoryQuery;
import dev.gyre.history.HistoryStore;
import dev.gyre.history.HistoryStoreContract;
import dev.gyre.protocol.StreamPosition;
import io.vertx.core.Vertx;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The HistoryStore contract on a real two-member Hazelcast cluster, plus survival of a member. */
class HazelcastHistoryStoreTest extends HistoryStoreContract {
  static Vertx vertx;
  static HazelcastInstance a;
  static HazelcastInstance b;
  static String cluster = "gyre-test-" + UUID.randomUUID();

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
    b = member();
    awaitMembers(a, 2);
    awaitMembers(b, 2);
  }

  @AfterAll
  static void stop() {
    if (b != null && b.getLifecycleService().isRunning()) b.shutdown();
    a.shutdown();
    await(vertx.close());
  }

  @Override
  protected HistoryStore store() {
    a.getMap(HazelcastHistoryStore.MAP).clear();
    return new HazelcastHistoryStore(vertx, a, clock::get);
  }

  @Test
  void historySurvivesTheLossOfAMemberWithTheSameEpoch() {
    HistoryStore viaA = store();
    HistoryStore viaB = new HazelcastHistoryStore(vertx, b, clock::get);
    StreamPosition last = null;
    for (int i = 0; i < 50; i++) {
      last = await(viaB.append("ch" + i, AppendRequest.of(pub("m" + i), OPTIONS))).position();
      await(viaA.append("ch" + i, AppendRequest.of(pub("n" + i), OPTIONS)));
    }
    String[] epochs = new String[50];
    for (int i = 0; i < 50; i++) {
      epochs[i] = await(viaA.read("ch" + i, HistoryQuery.position(), OPTIONS)).top().epoch();
    }
    b.getLifecycleService().terminate(); // abrupt: no graceful migration
    for (int i = 0; i < 50; i++) {
      var page = await(viaA.read("ch" + i, new HistoryQuery(-1, null, false), OPTIONS));
      assertThat(page.top()).isEqualTo(new StreamPosition(2, epochs[i]));
      assertThat(page.publications()).extracting(p -> text(p)).containsExactly("m" + i, "n" + i);
    }
    assertThat(last.offset()).isEqualTo(1);
  }
}
