package dev.gyre.history.redis;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicationCodecTest {
  @Test
  void roundTripsEveryField() {
    Publication p = new Publication(new byte[] {1, 2, 3}, new ClientInfo("u", "c", null, new byte[] {9}), 0,
        Map.of("k", "v"));
    Publication back = PublicationCodec.decode(PublicationCodec.encode(p), 42);
    assertThat(back.offset()).isEqualTo(42);
    assertThat(back.data()).containsExactly(1, 2, 3);
    assertThat(back.info().user()).isEqualTo("u");
    assertThat(back.info().client()).isEqualTo("c");
    assertThat(back.info().connInfo()).isNull();
    assertThat(back.info().chanInfo()).containsExactly(9);
    assertThat(back.tags()).isEqualTo(Map.of("k", "v"));
  }

  @Test
  void refusesUnknownFormatsAndTruncatedBytes() {
    byte[] ok = PublicationCodec.encode(new Publication(new byte[10], null, 0, Map.of()));
    ok[0] = 7;
    assertThatThrownBy(() -> PublicationCodec.decode(ok, 1)).isInstanceOf(IllegalArgumentException.class);
    byte[] truncated = java.util.Arrays.copyOf(PublicationCodec.encode(new Publication(new byte[10], null, 0, Map.of())), 8);
    assertThatThrownBy(() -> PublicationCodec.decode(truncated, 1)).isInstanceOf(RuntimeException.class);
  }
}
