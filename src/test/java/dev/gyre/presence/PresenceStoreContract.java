package dev.gyre.presence;

import dev.gyre.protocol.ClientInfo;
import io.vertx.core.Future;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The {@link PresenceStore} contract, run against every implementation. */
public abstract class PresenceStoreContract {
  protected abstract PresenceStore store();

  protected static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static ClientInfo info(String user, String client) {
    return new ClientInfo(user, client, "{\"n\":1}".getBytes(StandardCharsets.UTF_8), null);
  }

  @Test
  void addListAndRemove() {
    PresenceStore s = store();
    await(s.add("ch", info("alice", "c1")));
    await(s.add("ch", info("bob", "c2")));
    await(s.add("other", info("carol", "c3")));
    var p = await(s.presence("ch"));
    assertThat(p).containsOnlyKeys("c1", "c2");
    assertThat(p.get("c1").user()).isEqualTo("alice");
    assertThat(new String(p.get("c1").connInfo(), StandardCharsets.UTF_8)).isEqualTo("{\"n\":1}");
    await(s.remove("ch", "c1"));
    assertThat(await(s.presence("ch"))).containsOnlyKeys("c2");
    await(s.remove("ch", "absent"));
    await(s.remove("ch", "c2"));
    assertThat(await(s.presence("ch"))).isEmpty();
  }

  @Test
  void statsCountDistinctUsersWithAnonymousAsOne() {
    PresenceStore s = store();
    await(s.add("ch", info("alice", "c1")));
    await(s.add("ch", info("alice", "c2")));
    await(s.add("ch", info("", "c3")));
    await(s.add("ch", info("", "c4")));
    assertThat(await(s.stats("ch"))).isEqualTo(new PresenceStats(4, 2));
    assertThat(await(s.stats("empty"))).isEqualTo(new PresenceStats(0, 0));
  }

  @Test
  void addingTheSameClientAgainReplacesItsEntry() {
    PresenceStore s = store();
    await(s.add("ch", info("alice", "c1")));
    await(s.add("ch", new ClientInfo("alice", "c1", null, "{\"c\":2}".getBytes(StandardCharsets.UTF_8))));
    var p = await(s.presence("ch"));
    assertThat(p).hasSize(1);
    assertThat(new String(p.get("c1").chanInfo(), StandardCharsets.UTF_8)).isEqualTo("{\"c\":2}");
  }
}
