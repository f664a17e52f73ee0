package dev.gyre.transport;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class OriginCheckTest {

  @Test
  void requestWithoutOriginAlwaysPasses() {
    assertThat(new OriginCheck(List.of()).allowed(null)).isTrue();
    assertThat(new OriginCheck(List.of()).allowed("")).isTrue();
    assertThat(new OriginCheck(List.of("https://a.example")).allowed(null)).isTrue();
  }

  @Test
  void emptyListRefusesAnyOrigin() {
    OriginCheck c = new OriginCheck(List.of());
    assertThat(c.allowed("http://localhost:3000")).isFalse();
    assertThat(c.allowed("null")).isFalse();
    assertThat(c.allowed("https://example.com")).isFalse();
  }

  @Test
  void exactOrigin() {
    OriginCheck c = new OriginCheck(List.of("http://localhost:3000"));
    assertThat(c.allowed("http://localhost:3000")).isTrue();
    assertThat(c.allowed("http://localhost:3001")).isFalse();
    assertThat(c.allowed("https://localhost:3000")).isFalse();
    assertThat(c.allowed("http://localhost")).isFalse();
    assertThat(c.allowed("http://localhost:30000")).isFalse();
    assertThat(c.allowed("xhttp://localhost:3000")).isFalse();
  }

  @Test
  void globPattern() {
    OriginCheck c = new OriginCheck(List.of("https://*.example.com"));
    assertThat(c.allowed("https://app.example.com")).isTrue();
    assertThat(c.allowed("https://a.b.example.com")).isTrue();
    assertThat(c.allowed("https://example.com")).isFalse();
    assertThat(c.allowed("http://app.example.com")).isFalse();
    assertThat(c.allowed("https://app.example.com.evil.net")).isFalse();
    assertThat(c.allowed("https://appXexample.com")).isFalse();
  }

  @Test
  void dotsAndOtherRegexCharactersAreLiteral() {
    OriginCheck c = new OriginCheck(List.of("https://a.example.com", "http://(x)+?.test"));
    assertThat(c.allowed("https://aXexample.com")).isFalse();
    assertThat(c.allowed("https://a.example.com")).isTrue();
    assertThat(c.allowed("http://(x)+?.test")).isTrue();
    assertThat(c.allowed("http://xx.test")).isFalse();
  }

  @Test
  void portWildcard() {
    OriginCheck c = new OriginCheck(List.of("http://localhost:*"));
    assertThat(c.allowed("http://localhost:3000")).isTrue();
    assertThat(c.allowed("http://localhost:8080")).isTrue();
    assertThat(c.allowed("http://127.0.0.1:3000")).isFalse();
  }

  @Test
  void comparisonIsCaseInsensitive() {
    OriginCheck c = new OriginCheck(List.of("https://App.Example.COM", "https://*.Upper.IO"));
    assertThat(c.allowed("https://app.example.com")).isTrue();
    assertThat(c.allowed("HTTPS://APP.EXAMPLE.COM")).isTrue();
    assertThat(c.allowed("https://X.upper.io")).isTrue();
  }

  @Test
  void starAllowsEverything() {
    OriginCheck c = new OriginCheck(List.of("*"));
    assertThat(c.allowed("https://anything.example")).isTrue();
    assertThat(c.allowed("null")).isTrue();
    assertThat(c.allowed(null)).isTrue();
    OriginCheck mixed = new OriginCheck(List.of("https://a.example", "*"));
    assertThat(mixed.allowed("http://other")).isTrue();
  }

  @Test
  void anyOfSeveralPatterns() {
    OriginCheck c = new OriginCheck(List.of("https://a.example", "https://*.b.example"));
    assertThat(c.allowed("https://a.example")).isTrue();
    assertThat(c.allowed("https://x.b.example")).isTrue();
    assertThat(c.allowed("https://c.example")).isFalse();
  }
}
