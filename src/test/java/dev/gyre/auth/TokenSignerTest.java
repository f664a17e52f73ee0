package dev.gyre.auth;

import dev.gyre.config.TokenConfig;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenSignerTest {

  private static JsonObject segment(String token, int i) {
    return new JsonObject(new String(Base64.getUrlDecoder().decode(token.split("\\.")[i]), StandardCharsets.UTF_8));
  }

  @Test
  void signsHs256WithExactlyTheGivenClaims() {
    JsonObject claims = new JsonObject().put("sub", "42").put("channel", "news");
    String token = new TokenSigner("secret").sign(claims);
    assertThat(token.split("\\.")).hasSize(3);
    assertThat(segment(token, 0).getString("alg")).isEqualTo("HS256");
    assertThat(segment(token, 1)).isEqualTo(claims);
  }

  @Test
  void signatureIsTheStandardHmac() {
    String token = new TokenSigner("secret").sign(new JsonObject().put("sub", "42"));
    String input = token.substring(0, token.lastIndexOf('.'));
    String expected = Jwts.b64(Jwts.hmacBytes("HS256", "secret".getBytes(StandardCharsets.UTF_8), input));
    assertThat(token.substring(token.lastIndexOf('.') + 1)).isEqualTo(expected);
  }

  @Test
  void doesNotMutateTheClaims() {
    JsonObject claims = new JsonObject().put("sub", "1");
    new TokenSigner("secret").sign(claims);
    assertThat(claims).isEqualTo(new JsonObject().put("sub", "1"));
  }

  @Test
  void signedTokensVerify() throws TokenException {
    long now = Instant.now().getEpochSecond();
    TokenSigner signer = new TokenSigner("secret");
    TokenVerifier verifier = new TokenVerifier(new TokenConfig("secret", "", "", "", "", "", "", "", "sub"), false);
    ConnectToken c = verifier.verifyConnect(signer.sign(new JsonObject().put("sub", "u").put("exp", now + 60)), now);
    assertThat(c.user()).isEqualTo("u");
    assertThat(c.expireAt()).isEqualTo(now + 60);
    SubscriptionToken s = verifier.verifySubscribe(signer.sign(new JsonObject().put("sub", "u").put("channel", "x")), now);
    assertThat(s.channel()).isEqualTo("x");
  }

  @Test
  void otherSecretDoesNotVerify() {
    String token = new TokenSigner("secret").sign(new JsonObject().put("sub", "u"));
    TokenVerifier verifier = new TokenVerifier(new TokenConfig("other", "", "", "", "", "", "", "", "sub"), false);
    assertThatThrownBy(() -> verifier.verifyConnect(token, Instant.now().getEpochSecond()))
        .isInstanceOf(TokenException.class)
        .satisfies(e -> assertThat(((TokenException) e).kind()).isEqualTo(TokenException.Kind.INVALID));
  }

  @Test
  void requiresASecret() {
    assertThatThrownBy(() -> new TokenSigner("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TokenSigner(null)).isInstanceOf(IllegalArgumentException.class);
  }
}
