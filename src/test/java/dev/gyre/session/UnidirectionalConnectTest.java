package dev.gyre.session;

import dev.gyre.protocol.ErrorCode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Connect errors of unidirectional clients become disconnects (spec/client-protocol.md §1.7). */
class UnidirectionalConnectTest {

  @Test
  void centrifugoDefaultMapping() {
    for (ErrorCode e : ErrorCode.values()) {
      int expected = switch (e.code()) {
        case 109, 110 -> 3005;
        case 111 -> 3013;
        case 103 -> 3507;
        default -> 3004;
      };
      assertThat(UnidirectionalConnect.disconnectFor(e).code()).as(e.name()).isEqualTo(expected);
      assertThat(UnidirectionalConnect.disconnectFor(e).reason()).isNotEmpty();
    }
  }
}
