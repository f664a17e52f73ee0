package dev.gyre.protocol.json;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.PushEncoding;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Result;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bare pushes for unidirectional transports (spec/client-protocol.md §1.7). */
class JsonUnidirectionalCodecTest {
  static final JsonUnidirectionalCodec CODEC = JsonUnidirectionalCodec.INSTANCE;

  @Test
  void theConnectResultIsTheConnectPush() {
    Result.Connect r = new Result.Connect("c1", "0.1.0 OSS", false, 0, null, Map.of(), 25, false, "s1", "", 0);
    assertThat(CODEC.reply(1, r).toString(UTF_8))
        .isEqualTo("{\"connect\":{\"client\":\"c1\",\"version\":\"0.1.0 OSS\",\"ping\":25,\"session\":\"s1\"}}");
  }

  @Test
  void aSharedReplyWrappedPushIsUnwrappedBySlicing() {
    Publication pub = new Publication("{\"a\":[1,{\"b\":\"}\"}]}".getBytes(UTF_8),
        new ClientInfo("u", "c", null, null), 7, Map.of());
    EncodedPush shared = PushEncoding.encodeOnce(new Push.Pub("news", pub));
    Buffer bare = CODEC.select(shared);
    assertThat(bare.toString(UTF_8)).isEqualTo(JsonReplyEncoder.barePush(new Push.Pub("news", pub)).toString(UTF_8))
        .startsWith("{\"channel\":\"news\",\"pub\":{");
    assertThat(CODEC.push(new Push.Disconnect(3503, "force disconnect")).toString(UTF_8))
        .isEqualTo("{\"disconnect\":{\"code\":3503,\"reason\":\"force disconnect\"}}");
    assertThat(CODEC.ping().toString(UTF_8)).isEqualTo("{}");
  }

  @Test
  void aPushJsonCannotCarryStaysUncarried() {
    assertThat(CODEC.select(new EncodedPush(null, null))).isNull();
    assertThatThrownBy(() -> JsonUnidirectionalCodec.unwrap(Buffer.buffer("{\"id\":1}")))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
