package dev.gyre.api.grpc;

import com.google.protobuf.ByteString;
import dev.gyre.api.pb.BatchRequest;
import dev.gyre.api.pb.BatchResponse;
import dev.gyre.api.pb.Command;
import dev.gyre.api.pb.DisconnectRequest;
import dev.gyre.api.pb.HistoryResponse;
import dev.gyre.api.pb.PresenceResponse;
import dev.gyre.api.pb.PublishRequest;
import dev.gyre.api.pb.SubscribeOptionOverride;
import dev.gyre.api.pb.SubscribeRequest;
import dev.gyre.api.pb.BoolValue;
import dev.gyre.api.pb.StreamPosition;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

/** Message ↔ request/result tree conversion for the gRPC API, shaped like the HTTP API's trees. */
class ProtoJsonTest {

  @Test
  void requestFieldsBecomeTheHttpApiTree() {
    JsonObject o = ProtoJson.toJson(PublishRequest.newBuilder().setChannel("c")
        .setData(ByteString.copyFrom(new byte[] {0, -1})).putTags("k", "v").setVersion(-1L).setSkipHistory(true).build());
    assertThat(o.fieldNames()).containsExactlyInAnyOrder("channel", "data", "tags", "version", "skip_history");
    assertThat(o.getMap().get("data")).isInstanceOf(byte[].class);
    assertThat((byte[]) o.getMap().get("data")).containsExactly(0, -1);
    assertThat(o.getMap().get("tags")).isEqualTo(new JsonObject().put("k", "v"));
    assertThat(o.getMap().get("version")).isEqualTo(-1L); // uint64 beyond 2^63: the executor rejects it (107)
    assertThat(o.getMap().get("skip_history")).isEqualTo(true);

    JsonObject s = ProtoJson.toJson(SubscribeRequest.newBuilder().setChannel("c").setExpireAt(5)
        .setRecoverSince(StreamPosition.newBuilder().setOffset(3))
        .setOverride(SubscribeOptionOverride.newBuilder().setPresence(BoolValue.newBuilder().setValue(false))).build());
    assertThat(s.getMap().get("expire_at")).isEqualTo(5L);
    assertThat(s.getJsonObject("recover_since")).isEqualTo(new JsonObject().put("offset", 3L));
    // a present message with default content stays present, as {"value": false} would in JSON
    assertThat(s.getJsonObject("override")).isEqualTo(new JsonObject().put("presence", new JsonObject()));

    JsonObject d = ProtoJson.toJson(DisconnectRequest.newBuilder().addWhitelist("a").addWhitelist("b")
        .setDisconnect(dev.gyre.api.pb.Disconnect.newBuilder().setCode(-1)).build());
    assertThat(d.getJsonArray("whitelist")).isEqualTo(new JsonArray().add("a").add("b"));
    assertThat(d.getJsonObject("disconnect").getMap().get("code")).isEqualTo(0xFFFFFFFFL); // uint32 stays unsigned
  }

  @Test
  void emptyMessageAndBatchCommands() {
    assertThat(ProtoJson.toJson(PublishRequest.getDefaultInstance())).isEqualTo(new JsonObject());
    JsonObject b = ProtoJson.toJson(BatchRequest.newBuilder().setParallel(true)
        .addCommands(Command.newBuilder().setPublish(PublishRequest.newBuilder().setChannel("x")))
        .addCommands(Command.getDefaultInstance()).build());
    assertThat(b.getBoolean("parallel")).isTrue();
    assertThat(b.getJsonArray("commands").getList()).containsExactly(
        new JsonObject().put("publish", new JsonObject().put("channel", "x")), new JsonObject());
  }

  @Test
  void resultTreesFillTheResponse() {
    JsonObject result = new JsonObject().put("result", new JsonObject()
        .put("publications", new JsonArray().add(new JsonObject().put("data", new byte[] {1, 2}).put("offset", 7L)
            .put("tags", new JsonObject().put("a", "b"))
            .put("info", new JsonObject().put("user", "u").put("client", "c").put("conn_info", "{}".getBytes(UTF_8)))))
        .put("epoch", "E").put("offset", 7L).put("not_in_schema", 1));
    HistoryResponse h = ProtoJson.fromJson(result, HistoryResponse.newBuilder()).build();
    assertThat(h.hasError()).isFalse();
    assertThat(h.getResult().getEpoch()).isEqualTo("E");
    assertThat(h.getResult().getOffset()).isEqualTo(7);
    var p = h.getResult().getPublications(0);
    assertThat(p.getData().toByteArray()).containsExactly(1, 2);
    assertThat(p.getTagsMap()).isEqualTo(Map.of("a", "b"));
    assertThat(p.getInfo().getConnInfo().toStringUtf8()).isEqualTo("{}");

    PresenceResponse pr = ProtoJson.fromJson(new JsonObject().put("result", new JsonObject().put("presence",
        new JsonObject().put("c1", new JsonObject().put("user", "u").put("client", "c1")))), PresenceResponse.newBuilder()).build();
    assertThat(pr.getResult().getPresenceMap().get("c1").getUser()).isEqualTo("u");

    HistoryResponse err = ProtoJson.fromJson(new JsonObject().put("error", new JsonObject().put("code", 102)
        .put("message", "unknown channel")), HistoryResponse.newBuilder()).build();
    assertThat(err.getError().getCode()).isEqualTo(102);
    assertThat(err.hasResult()).isFalse();

    BatchResponse br = ProtoJson.fromJson(new JsonObject().put("replies", new JsonArray(List.of(
        new JsonObject().put("publish", new JsonObject()),
        new JsonObject().put("error", new JsonObject().put("code", 104).put("message", "not found"))))),
        BatchResponse.newBuilder()).build();
    assertThat(br.getReplies(0).hasPublish()).isTrue();
    assertThat(br.getReplies(1).getError().getCode()).isEqualTo(104);
  }
}
