package dev.gyre.presence.hazelcast;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import dev.gyre.presence.PresenceStats;
import dev.gyre.presence.PresenceStore;
import dev.gyre.protocol.ClientInfo;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.BiConsumer;

/**
 * Cluster-wide presence in a Hazelcast map: channel → client id → entry tagged with the member
 * that holds the connection. When a member leaves (crash or shutdown), the oldest surviving
 * member removes that member's entries and reports each one, so leave events go out. Calls are
 * asynchronous and complete on the caller's Vert.x context.
 */
public final class HazelcastPresenceStore implements PresenceStore {
  public static final String MAP = "gyre.presence";

  private final Vertx vertx;
  private final HazelcastInstance hazelcast;
  private final IMap<String, StoredPresence> channels;
  private final String member;

  /**
   * @param onMemberGone called, on a worker thread, for each (channel, entry) removed because
   *                     its member left the cluster
   */
  public HazelcastPresenceStore(Vertx vertx, HazelcastInstance hazelcast, BiConsumer<String, ClientInfo> onMemberGone) {
    this.vertx = vertx;
    this.hazelcast = hazelcast;
    this.channels = hazelcast.getMap(MAP);
    this.member = hazelcast.getCluster().getLocalMember().getUuid().toString();
    hazelcast.getCluster().addMembershipListener(new MembershipListener() {
      @Override
      public void memberAdded(MembershipEvent event) {
        // nothing to do
      }

      @Override
      public void memberRemoved(MembershipEvent event) {
        if (!isOldest()) return;
        String gone = event.getMember().getUuid().toString();
        vertx.executeBlocking(() -> {
          Map<String, ArrayList<StoredPresence.Entry>> removed =
              channels.executeOnEntries(new PresenceProcessors.RemoveMember(gone));
          removed.forEach((ch, entries) -> entries.forEach(x -> onMemberGone.accept(ch, x.info())));
          return null;
        }, false);
      }
    });
  }

  private boolean isOldest() {
    return hazelcast.getCluster().getMembers().iterator().next().localMember();
  }

  @Override
  public Future<Void> add(String channel, ClientInfo info) {
    return on(channels.submitToKey(channel, new PresenceProcessors.Add(info, member))).mapEmpty();
  }

  @Override
  public Future<Void> remove(String channel, String clientId) {
    return on(channels.submitToKey(channel, new PresenceProcessors.Remove(clientId))).mapEmpty();
  }

  @Override
  public Future<Map<String, ClientInfo>> presence(String channel) {
    return on(channels.getAsync(channel)).map(p -> {
      Map<String, ClientInfo> out = new LinkedHashMap<>();
      if (p != null) p.clients.forEach((client, entry) -> out.put(client, entry.info()));
      return out;
    });
  }

  @Override
  public Future<PresenceStats> stats(String channel) {
    return on(channels.getAsync(channel)).map(p -> {
      if (p == null) return new PresenceStats(0, 0);
      Set<String> users = new HashSet<>();
      List<StoredPresence.Entry> all = new ArrayList<>(p.clients.values());
      for (StoredPresence.Entry e : all) users.add(e.user);
      return new PresenceStats(all.size(), users.size());
    });
  }

  private <T> Future<T> on(CompletionStage<T> stage) {
    return Future.fromCompletionStage(stage, vertx.getOrCreateContext());
  }
}
