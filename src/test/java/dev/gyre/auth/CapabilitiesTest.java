package dev.gyre.auth;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CapabilitiesTest {

  static Capabilities.Entry entry(String match, List<String> channels, String... allow) {
    return new Capabilities.Entry(channels.stream().map(c -> Capabilities.pattern(c, match)).toList(), Set.of(allow));
  }

  @Test
  void noneAllowsNothing() {
    assertThat(Capabilities.NONE.allows("news", "sub")).isFalse();
    assertThat(Capabilities.NONE.entries()).isEmpty();
  }

  @Test
  void exactPatternQuotesRegexCharacters() {
    assertThat(Capabilities.pattern("a.b", "").matcher("a.b").matches()).isTrue();
    assertThat(Capabilities.pattern("a.b", "").matcher("axb").matches()).isFalse();
    assertThat(Capabilities.pattern("a.b", "exact").matcher("axb").matches()).isFalse();
    assertThat(Capabilities.pattern("chat:*", "").matcher("chat:1").matches()).isFalse();
    assertThat(Capabilities.pattern("chat:*", "").matcher("chat:*").matches()).isTrue();
  }

  @Test
  void wildcardPatternMatchesAnyRunButQuotesTheRest() {
    assertThat(Capabilities.pattern("a.*", "wildcard").matcher("a.anything").matches()).isTrue();
    assertThat(Capabilities.pattern("a.*", "wildcard").matcher("ax").matches()).isFalse();
    assertThat(Capabilities.pattern("*", "wildcard").matcher("").matches()).isTrue();
    assertThat(Capabilities.pattern("*:end", "wildcard").matcher("x:y:end").matches()).isTrue();
    assertThat(Capabilities.pattern("a*b*c", "wildcard").matcher("aXXbYYc").matches()).isTrue();
    assertThat(Capabilities.pattern("a*b*c", "wildcard").matcher("aXXcYYb").matches()).isFalse();
    assertThat(Capabilities.pattern("line*", "wildcard").matcher("line\nbreak").matches()).isTrue();
  }

  @Test
  void regexPatternIsUsedAsIs() {
    assertThat(Capabilities.pattern("news|sport", "regex").matcher("sport").matches()).isTrue();
    assertThat(Capabilities.pattern("news|sport", "regex").matcher("weather").matches()).isFalse();
  }

  @Test
  void unknownMatchIsRejected() {
    assertThatThrownBy(() -> Capabilities.pattern("x", "glob")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void firstMatchingEntryDecides() {
    Capabilities c = new Capabilities(List.of(
        entry("", List.of("news"), "hst"),
        entry("wildcard", List.of("*"), "sub", "pub", "prs", "hst")));
    assertThat(c.allows("news", "hst")).isTrue();
    assertThat(c.allows("news", "sub")).isFalse();
    assertThat(c.allows("other", "sub")).isTrue();
  }

  @Test
  void anyChannelOfAnEntryMatches() {
    Capabilities c = new Capabilities(List.of(entry("", List.of("a", "b"), "sub")));
    assertThat(c.allows("a", "sub")).isTrue();
    assertThat(c.allows("b", "sub")).isTrue();
    assertThat(c.allows("c", "sub")).isFalse();
  }
}
