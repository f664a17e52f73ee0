package dev.gyre.api;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChannelPatternTest {

  private static boolean matches(String glob, String channel) {
    return ChannelPattern.compile(glob).matcher(channel).matches();
  }

  @Test
  void starMatchesAnyRunIncludingBoundaries() {
    assertThat(matches("*", "")).isTrue();
    assertThat(matches("*", "news")).isTrue();
    assertThat(matches("*", "chat:room#1,2")).isTrue();
    assertThat(matches("chat:*", "chat:index")).isTrue();
    assertThat(matches("chat:*", "chat:")).isTrue();
    assertThat(matches("chat:*", "chat:a:b")).isTrue();
    assertThat(matches("chat:*", "news:index")).isFalse();
    assertThat(matches("chat:*", "xchat:index")).isFalse();
    assertThat(matches("*:index", "chat:index")).isTrue();
    assertThat(matches("a*b*c", "a-b-c")).isTrue();
    assertThat(matches("a*b*c", "a-c-b")).isFalse();
  }

  @Test
  void questionMarkMatchesExactlyOneCharacter() {
    assertThat(matches("user?", "user1")).isTrue();
    assertThat(matches("user?", "user:")).isTrue();
    assertThat(matches("user?", "user")).isFalse();
    assertThat(matches("user?", "user12")).isFalse();
    assertThat(matches("??", "ab")).isTrue();
  }

  @Test
  void characterClasses() {
    assertThat(matches("room[abc]", "rooma")).isTrue();
    assertThat(matches("room[abc]", "roomc")).isTrue();
    assertThat(matches("room[abc]", "roomd")).isFalse();
    assertThat(matches("room[abc]", "roomab")).isFalse();
    assertThat(matches("v[0-9]", "v7")).isTrue();
    assertThat(matches("v[a-z]", "vq")).isTrue();
    assertThat(matches("v[a-z]", "vQ")).isFalse();
    assertThat(matches("v[a-z]", "v1")).isFalse();
  }

  @Test
  void negatedClass() {
    assertThat(matches("x[!a]", "xb")).isTrue();
    assertThat(matches("x[!a]", "xa")).isFalse();
    assertThat(matches("x[!0-9]", "x5")).isFalse();
    assertThat(matches("x[!0-9]", "xz")).isTrue();
  }

  @Test
  void alternatives() {
    assertThat(matches("{news,sport}", "news")).isTrue();
    assertThat(matches("{news,sport}", "sport")).isTrue();
    assertThat(matches("{news,sport}", "weather")).isFalse();
    assertThat(matches("{news,sport}", "news,sport")).isFalse();
    assertThat(matches("chat:{a,b}:*", "chat:a:1")).isTrue();
    assertThat(matches("chat:{a,b}:*", "chat:c:1")).isFalse();
    assertThat(matches("{a,b*}", "bxyz")).isTrue();
    assertThat(matches("{a,{b,c}}", "c")).isTrue();
    assertThat(matches("{a,{b,c}}", "d")).isFalse();
  }

  @Test
  void commaOutsideBracesIsLiteral() {
    assertThat(matches("dialog#1,2", "dialog#1,2")).isTrue();
    assertThat(matches("dialog#1,2", "dialog#1")).isFalse();
  }

  @Test
  void regexMetacharactersAreLiteral() {
    assertThat(matches("a.b", "a.b")).isTrue();
    assertThat(matches("a.b", "axb")).isFalse();
    assertThat(matches("a+", "a+")).isTrue();
    assertThat(matches("a+", "aa")).isFalse();
    assertThat(matches("$chat:(x)|y", "$chat:(x)|y")).isTrue();
    assertThat(matches("^news$", "^news$")).isTrue();
    assertThat(matches("^news$", "news")).isFalse();
  }

  @Test
  void backslashEscapesTheNextCharacter() {
    assertThat(matches("a\\*", "a*")).isTrue();
    assertThat(matches("a\\*", "ab")).isFalse();
    assertThat(matches("\\{a\\}", "{a}")).isTrue();
  }

  @Test
  void literalPatternMatchesOnlyItself() {
    Pattern p = ChannelPattern.compile("news");
    assertThat(p.matcher("news").matches()).isTrue();
    assertThat(p.matcher("news2").matches()).isFalse();
    assertThat(p.matcher("xnews").matches()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[abc", "room[", "[]", "{a,b", "a}", "{a,{b}", "x\\", "[z-a]", "[!]"})
  void invalidPatternsThrow(String glob) {
    assertThatThrownBy(() -> ChannelPattern.compile(glob)).isInstanceOf(IllegalArgumentException.class);
  }
}
