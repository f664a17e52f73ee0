package dev.gyre.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GoDurationTest {

  @Test
  void parsesSingleUnits() {
    assertThat(GoDuration.parse("300s")).isEqualTo(Duration.ofSeconds(300));
    assertThat(GoDuration.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(GoDuration.parse("720h")).isEqualTo(Duration.ofHours(720));
    assertThat(GoDuration.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(GoDuration.parse("1000ms")).isEqualTo(Duration.ofSeconds(1));
    assertThat(GoDuration.parse("250us")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(GoDuration.parse("250µs")).isEqualTo(Duration.ofNanos(250_000));
    assertThat(GoDuration.parse("7ns")).isEqualTo(Duration.ofNanos(7));
  }

  @Test
  void parsesCompoundAndFractionalValues() {
    assertThat(GoDuration.parse("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(GoDuration.parse("2h45m30s")).isEqualTo(Duration.ofSeconds(2 * 3600 + 45 * 60 + 30));
    assertThat(GoDuration.parse("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(GoDuration.parse("1m0.25s")).isEqualTo(Duration.ofMillis(60_250));
  }

  @Test
  void parsesSignsAndZero() {
    assertThat(GoDuration.parse("-1s")).isEqualTo(Duration.ofSeconds(-1));
    assertThat(GoDuration.parse("+2s")).isEqualTo(Duration.ofSeconds(2));
    assertThat(GoDuration.parse("0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("-0")).isEqualTo(Duration.ZERO);
    assertThat(GoDuration.parse("0s")).isEqualTo(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1d", "7d", "", "s", "10", "00", "1.2.3s", "abc", "-", "+", "1h 30m", " 1s", "1s ", "1S",
      "1sec", ".s", "1x"})
  void rejectsInvalidDurations(String text) {
    assertThatThrownBy(() -> GoDuration.parse(text)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void overflowIsRejectedLikeGo() {
    // Go's largest duration is about 2562047h47m16s.
    assertThat(GoDuration.parse("2562047h")).isEqualTo(Duration.ofHours(2562047));
    assertThatThrownBy(() -> GoDuration.parse("2562048h")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> GoDuration.parse("99999999999999999999s")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rejectsNull() {
    assertThatThrownBy(() -> GoDuration.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void invalidMessageQuotesTheValue() {
    assertThatThrownBy(() -> GoDuration.parse("1d")).hasMessageContaining("\"1d\"");
  }

  @Test
  void formatsLikeGo() {
    assertThat(GoDuration.format(Duration.ofHours(168))).isEqualTo("168h0m0s");
    assertThat(GoDuration.format(Duration.ofHours(1))).isEqualTo("1h0m0s");
    assertThat(GoDuration.format(Duration.ofSeconds(90))).isEqualTo("1m30s");
    assertThat(GoDuration.format(Duration.ofSeconds(5))).isEqualTo("5s");
    assertThat(GoDuration.format(Duration.ofSeconds(3601))).isEqualTo("1h0m1s");
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofSeconds(-90))).isEqualTo("-1m30s");
  }

  @Test
  void formatThenParseRoundTrips() {
    for (long s : new long[] {1, 59, 60, 61, 3599, 3600, 86400, 604800}) {
      Duration d = Duration.ofSeconds(s);
      assertThat(GoDuration.parse(GoDuration.format(d))).isEqualTo(d);
    }
  }
}
