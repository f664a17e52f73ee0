package dev.gyre.protocol.json;

import dev.gyre.protocol.EmulationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The JSON emulation request (spec/client-protocol.md §1.6, §8.10). */
class JsonEmulationRequestDecoderTest {

  static EmulationRequest decode(String body) {
    return JsonEmulationRequestDecoder.decode(body.getBytes(UTF_8));
  }

  @Test
  void decodesTheTranscriptRequestAndUnquotesTheFrame() {
    EmulationRequest r = decode("{\"session\":\"s-1\",\"node\":\"n-1\",\"data\":"
        + "\"{\\\"subscribe\\\":{\\\"channel\\\":\\\"chat:index\\\",\\\"flag\\\":1},\\\"id\\\":2}\"}");
    assertThat(r.session()).isEqualTo("s-1");
    assertThat(r.node()).isEqualTo("n-1");
    assertThat(new String(r.data(), UTF_8)).isEqualTo("{\"subscribe\":{\"channel\":\"chat:index\",\"flag\":1},\"id\":2}");
  }

  @Test
  void keepsNewlineSeparatedFramesAndUnicode() {
    EmulationRequest r = decode("{\"data\":\"{}\\n{\\\"id\\\":2,\\\"publish\\\":{\\\"data\\\":\\\"\\u00e9\\\"}}\","
        + "\"session\":\"s\",\"extra\":{\"ignored\":[1,2]},\"node\":null}");
    assertThat(r.node()).isEmpty();
    assertThat(new String(r.data(), UTF_8)).isEqualTo("{}\n{\"id\":2,\"publish\":{\"data\":\"é\"}}");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "{", "}", "[]", "null", "1", "\"s\"", "{\"session\":\"s\"}",
      "{\"data\":\"{}\"}", "{\"session\":\"\",\"data\":\"{}\"}", "{\"session\":\"s\",\"data\":\"\"}",
      "{\"session\":\"s\",\"data\":{}}", "{\"session\":\"s\",\"data\":1}", "{\"session\":true,\"data\":\"{}\"}",
      "{\"session\":\"s\",\"node\":{},\"data\":\"{}\"}", "{\"session\":\"s\",\"data\":\"{}\"}{}",
      "{\"session\":\"s\",\"data\":\"{}\"", "{session:\"s\",\"data\":\"{}\"}", "{\"session\":\"s\",\"data\":\"\\x\"}"})
  void malformedBodiesAreRejected(String body) {
    assertThatThrownBy(() -> decode(body)).isInstanceOf(EmulationRequest.MalformedException.class);
  }
}
