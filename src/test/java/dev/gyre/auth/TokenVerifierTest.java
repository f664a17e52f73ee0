package dev.gyre.auth;

import dev.gyre.config.ConfigException;
import dev.gyre.config.TokenConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Instant;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TokenVerifierTest {
  static final String SECRET = "test-secret-key-0123456789";

  static KeyPair rsa;
  static KeyPair otherRsa;
  static KeyPair ec;
  static KeyPair otherEc;

  @BeforeAll
  static void keys() {
    rsa = Jwts.rsaKeyPair();
    otherRsa = Jwts.rsaKeyPair();
    ec = Jwts.ecKeyPair("secp256r1");
    otherEc = Jwts.ecKeyPair("secp256r1");
  }

  static long now() {
    return Instant.now().getEpochSecond();
  }

  static TokenConfig config(String hmac, String rsaPem, String ecPem) {
    return new TokenConfig(hmac, rsaPem, ecPem, "", "", "", "", "", "sub");
  }

  static TokenConfig hmacConfig() {
    return config(SECRET, "", "");
  }

  static TokenVerifier hmacVerifier() {
    return new TokenVerifier(hmacConfig(), false);
  }

  static JsonObject claims(String sub) {
    return new JsonObject().put("sub", sub).put("exp", now() + 3600).put("iat", now());
  }

  static TokenException.Kind failure(ThrowingCall call) {
    try {
      call.run();
    } catch (TokenException e) {
      return e.kind();
    }
    throw new AssertionError("expected a TokenException");
  }

  interface ThrowingCall {
    void run() throws TokenException;
  }

  // ---------------------------------------------------------------- HMAC

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "HS384", "HS512"})
  void hmacTokensVerify(String alg) throws TokenException {
    JsonObject c = claims("42");
    ConnectToken t = hmacVerifier().verifyConnect(Jwts.hmac(alg, SECRET, c), now());
    assertThat(t.user()).isEqualTo("42");
    assertThat(t.expireAt()).isEqualTo(c.getLong("exp"));
    assertThat(t.info()).isNull();
    assertThat(t.subs()).isEmpty();
    assertThat(t.caps().entries()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"HS256", "HS384", "HS512"})
  void wrongSecretIsInvalid(String alg) {
    String token = Jwts.hmac(alg, "another-secret", claims("42"));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void nonAsciiSecretIsUsedAsUtf8Bytes() throws TokenException {
    String secret = "sécret-ключ-\uD83D\uDD11";
    TokenVerifier v = new TokenVerifier(config(secret, "", ""), false);
    assertThat(v.verifyConnect(Jwts.hmac("HS256", secret, claims("u")), now()).user()).isEqualTo("u");
    assertThat(v.verifyConnect(new TokenSigner(secret).sign(claims("w")), now()).user()).isEqualTo("w");
  }

  @Test
  void badSignatureWinsOverExpiry() {
    String token = Jwts.hmac("HS256", "another-secret", new JsonObject().put("sub", "1").put("exp", now() - 100));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void tokenSignerTokensVerify() throws TokenException {
    String token = new TokenSigner(SECRET).sign(claims("alice"));
    assertThat(hmacVerifier().verifyConnect(token, now()).user()).isEqualTo("alice");
  }

  @Test
  void tamperedPayloadIsInvalid() {
    String token = Jwts.hmac("HS256", SECRET, claims("42"));
    String[] parts = token.split("\\.");
    String forged = parts[0] + "." + Jwts.b64(claims("admin").encode()) + "." + parts[2];
    assertThat(failure(() -> hmacVerifier().verifyConnect(forged, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void headerAlgorithmMustMatchSignature() {
    // Signed with HS256 bytes, but the header claims HS512.
    String input = Jwts.signingInput("HS512", claims("42"));
    String token = input + "." + Jwts.b64(Jwts.hmacBytes("HS256", SECRET.getBytes(StandardCharsets.UTF_8), input));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void emptyUserIsAnonymousToken() throws TokenException {
    ConnectToken t = hmacVerifier().verifyConnect(Jwts.hmac("HS256", SECRET, new JsonObject().put("sub", "")), now());
    assertThat(t.user()).isEmpty();
    assertThat(t.expireAt()).isZero();
    ConnectToken noSub = hmacVerifier().verifyConnect(Jwts.hmac("HS256", SECRET, new JsonObject()), now());
    assertThat(noSub.user()).isEmpty();
  }

  static String hmacWithHeader(JsonObject header, JsonObject claims) {
    String input = Jwts.b64(header.encode()) + "." + Jwts.b64(claims.encode());
    String alg = header.getString("alg");
    return input + "." + Jwts.b64(Jwts.hmacBytes(alg, SECRET.getBytes(StandardCharsets.UTF_8), input));
  }

  @Test
  void headerWithoutTypOrWithKidIsAccepted() throws TokenException {
    // Centrifugo ignores typ and, without JWKS, kid.
    assertThat(hmacVerifier().verifyConnect(hmacWithHeader(new JsonObject().put("alg", "HS256"), claims("a")), now())
        .user()).isEqualTo("a");
    assertThat(hmacVerifier().verifyConnect(hmacWithHeader(
        new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", "key-1"), claims("b")), now()).user())
        .isEqualTo("b");
  }

  @Test
  void headerWithoutAlgIsInvalid() {
    String input = Jwts.b64("{\"typ\":\"JWT\"}") + "." + Jwts.b64(claims("42").encode());
    String token = input + "." + Jwts.b64(Jwts.hmacBytes("HS256", SECRET.getBytes(StandardCharsets.UTF_8), input));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void skipSignatureModeAcceptsAnySignatureButStillChecksExpiry() throws TokenException {
    TokenVerifier v = new TokenVerifier(hmacConfig(), true);
    assertThat(v.verifyConnect(Jwts.hmac("HS256", "wrong-secret", claims("42")), now()).user()).isEqualTo("42");
    String expired = Jwts.hmac("HS256", "wrong-secret", new JsonObject().put("sub", "42").put("exp", now() - 5));
    assertThat(failure(() -> v.verifyConnect(expired, now()))).isEqualTo(TokenException.Kind.EXPIRED);
    String withChannel = Jwts.hmac("HS256", "wrong-secret", claims("42").put("channel", "x"));
    assertThat(failure(() -> v.verifyConnect(withChannel, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  // ---------------------------------------------------------------- time claims

  @Test
  void expiredTokenIsExpired() {
    String token = Jwts.hmac("HS256", SECRET, new JsonObject().put("sub", "42").put("exp", now() - 10));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.EXPIRED);
  }

  @Test
  void expiryUsesTheGivenClock() throws TokenException {
    long exp = now() + 100;
    String token = Jwts.hmac("HS256", SECRET, new JsonObject().put("sub", "42").put("exp", exp));
    assertThat(hmacVerifier().verifyConnect(token, exp - 1).user()).isEqualTo("42");
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, exp))).isEqualTo(TokenException.Kind.EXPIRED);
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, exp + 1))).isEqualTo(TokenException.Kind.EXPIRED);
  }

  @Test
  void notBeforeInTheFutureIsExpired() {
    String token = Jwts.hmac("HS256", SECRET, claims("42").put("nbf", now() + 600));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.EXPIRED);
  }

  @Test
  void notBeforeInThePastIsFine() throws TokenException {
    String token = Jwts.hmac("HS256", SECRET, claims("42").put("nbf", now() - 600));
    assertThat(hmacVerifier().verifyConnect(token, now()).user()).isEqualTo("42");
  }

  @Test
  void expiredSubscriptionTokenIsExpired() {
    String token = Jwts.hmac("HS256", SECRET,
        new JsonObject().put("sub", "42").put("channel", "news").put("exp", now() - 1));
    assertThat(failure(() -> hmacVerifier().verifySubscribe(token, now()))).isEqualTo(TokenException.Kind.EXPIRED);
  }

  @Test
  void expireAtOverridesExp() throws TokenException {
    long exp = now() + 3600;
    ConnectToken t = hmacVerifier().verifyConnect(
        Jwts.hmac("HS256", SECRET, new JsonObject().put("sub", "1").put("exp", exp).put("expire_at", exp - 60)), now());
    assertThat(t.expireAt()).isEqualTo(exp - 60);
    ConnectToken never = hmacVerifier().verifyConnect(
        Jwts.hmac("HS256", SECRET, new JsonObject().put("sub", "1").put("exp", exp).put("expire_at", 0)), now());
    assertThat(never.expireAt()).isZero();
  }

  // ---------------------------------------------------------------- unsigned and malformed

  @Test
  void algNoneWithTwoSegmentsIsInvalid() {
    String token = Jwts.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Jwts.b64(claims("42").encode());
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void algNoneWithEmptySignatureIsInvalid() {
    String token = Jwts.b64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + Jwts.b64(claims("42").encode()) + ".";
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
    assertThat(failure(() -> hmacVerifier().verifySubscribe(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void algNoneIsRejectedByEveryKindOfVerifier() {
    String token = Jwts.b64("{\"alg\":\"none\"}") + "." + Jwts.b64(claims("42").encode()) + ".";
    for (TokenConfig cfg : new TokenConfig[] {hmacConfig(), config("", Jwts.pem(rsa.getPublic()), ""),
        config("", "", Jwts.pem(ec.getPublic())), config("", "", "")}) {
      assertThat(failure(() -> new TokenVerifier(cfg, false).verifyConnect(token, now())))
          .isEqualTo(TokenException.Kind.INVALID);
    }
  }

  @Test
  void hmacAlgorithmWithoutSignatureSegmentIsInvalid() {
    String token = Jwts.hmac("HS256", SECRET, claims("42"));
    String twoParts = token.substring(0, token.lastIndexOf('.'));
    String emptySig = twoParts + ".";
    assertThat(failure(() -> hmacVerifier().verifyConnect(twoParts, now()))).isEqualTo(TokenException.Kind.INVALID);
    assertThat(failure(() -> hmacVerifier().verifyConnect(emptySig, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void garbageIsInvalid() {
    String big = Jwts.hmac("HS256", SECRET, claims("42").put("pad", "x".repeat(20000)));
    for (String token : new String[] {null, "", "abc", "a.b.c", "...", "eyJ.eyJ.sig", big}) {
      assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).as(String.valueOf(token))
          .isEqualTo(TokenException.Kind.INVALID);
    }
  }

  @Test
  void unknownAlgorithmIsInvalid() {
    String input = Jwts.b64("{\"alg\":\"HS1024\"}") + "." + Jwts.b64(claims("42").encode());
    String token = input + "." + Jwts.b64(Jwts.hmacBytes("HS256", SECRET.getBytes(StandardCharsets.UTF_8), input));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  // ---------------------------------------------------------------- key configuration

  @Test
  void verifierWithoutKeysRejectsEveryToken() {
    TokenVerifier v = new TokenVerifier(config("", "", ""), false);
    assertThat(v.hasKeys()).isFalse();
    assertThat(failure(() -> v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("42")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
    assertThat(failure(() -> v.verifyConnect(Jwts.hmac("HS512", "x", claims("42")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
    assertThat(failure(() -> v.verifyConnect(Jwts.rsa("RS256", rsa.getPrivate(), claims("42")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
    assertThat(failure(() -> v.verifySubscribe(
        Jwts.hmac("HS256", SECRET, claims("42").put("channel", "news")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void hasKeysReflectsConfiguration() {
    assertThat(hmacVerifier().hasKeys()).isTrue();
    assertThat(new TokenVerifier(config("", Jwts.pem(rsa.getPublic()), ""), false).hasKeys()).isTrue();
    assertThat(new TokenVerifier(config("", "", Jwts.pem(ec.getPublic())), false).hasKeys()).isTrue();
  }

  @Test
  void aJwksEndpointMustBeAnAbsoluteHttpUrl() {
    TokenConfig ok = new TokenConfig("", "", "", "https://example.com/.well-known/jwks.json", "", "", "", "", "sub");
    assertThat(new TokenVerifier(ok, false).hasKeys()).isTrue();
    for (String bad : new String[] {"file:///etc/passwd", "/relative/jwks.json", "http//missing-colon", "ftp://example.com/k"}) {
      TokenConfig cfg = new TokenConfig("", "", "", bad, "", "", "", "", "sub");
      assertThatThrownBy(() -> new TokenVerifier(cfg, false)).as(bad)
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("jwks_public_endpoint");
    }
  }

  @Test
  void invalidEcdsaKeyIsAConfigError() {
    assertThatThrownBy(() -> new TokenVerifier(config("", "", "not a pem"), false))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("ecdsa_public_key");
  }

  @Test
  void invalidRegexIsAConfigError() {
    TokenConfig aud = new TokenConfig(SECRET, "", "", "", "", "([", "", "", "sub");
    assertThatThrownBy(() -> new TokenVerifier(aud, false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("audience_regex");
    TokenConfig iss = new TokenConfig(SECRET, "", "", "", "", "", "", "([", "sub");
    assertThatThrownBy(() -> new TokenVerifier(iss, false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("issuer_regex");
  }

  // ---------------------------------------------------------------- RSA

  @ParameterizedTest
  @ValueSource(strings = {"RS256", "RS384", "RS512"})
  void rsaTokensVerify(String alg) throws TokenException {
    TokenVerifier v = new TokenVerifier(config("", Jwts.pem(rsa.getPublic()), ""), false);
    assertThat(v.verifyConnect(Jwts.rsa(alg, rsa.getPrivate(), claims("rsa-user")), now()).user())
        .isEqualTo("rsa-user");
  }

  @Test
  void rsaTokenFromAnotherKeyIsInvalid() {
    TokenVerifier v = new TokenVerifier(config("", Jwts.pem(rsa.getPublic()), ""), false);
    String token = Jwts.rsa("RS256", otherRsa.getPrivate(), claims("42"));
    assertThat(failure(() -> v.verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void rsaTokenOnHmacOnlyVerifierIsInvalid() {
    String token = Jwts.rsa("RS256", rsa.getPrivate(), claims("42"));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void keyConfusionHmacSignedWithRsaPublicKeyPemIsInvalid() {
    String pem = Jwts.pem(rsa.getPublic());
    TokenVerifier v = new TokenVerifier(config("", pem, ""), false);
    for (String secret : new String[] {pem, pem.trim()}) {
      for (String alg : new String[] {"HS256", "HS384", "HS512"}) {
        String token = Jwts.hmac(alg, secret, claims("attacker"));
        assertThat(failure(() -> v.verifyConnect(token, now()))).as(alg).isEqualTo(TokenException.Kind.INVALID);
        String sub = Jwts.hmac(alg, secret, claims("attacker").put("channel", "$secret"));
        assertThat(failure(() -> v.verifySubscribe(sub, now()))).as(alg).isEqualTo(TokenException.Kind.INVALID);
      }
    }
  }

  @Test
  void keyConfusionWithEcdsaPublicKeyPemIsInvalid() {
    String pem = Jwts.pem(ec.getPublic());
    TokenVerifier v = new TokenVerifier(config("", "", pem), false);
    String token = Jwts.hmac("HS256", pem, claims("attacker"));
    assertThat(failure(() -> v.verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  // ---------------------------------------------------------------- ECDSA

  @Test
  void es256TokenVerifies() throws TokenException {
    TokenVerifier v = new TokenVerifier(config("", "", Jwts.pem(ec.getPublic())), false);
    for (int i = 0; i < 5; i++) { // several signatures, to exercise r/s of different lengths
      String user = "ec-user-" + i;
      assertThat(v.verifyConnect(Jwts.es256(ec.getPrivate(), claims(user)), now()).user()).isEqualTo(user);
    }
  }

  @Test
  void es256TokenFromAnotherKeyIsInvalid() {
    TokenVerifier v = new TokenVerifier(config("", "", Jwts.pem(ec.getPublic())), false);
    String token = Jwts.es256(otherEc.getPrivate(), claims("42"));
    assertThat(failure(() -> v.verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void es256TokenOnRsaOnlyVerifierIsInvalid() {
    TokenVerifier v = new TokenVerifier(config("", Jwts.pem(rsa.getPublic()), ""), false);
    String token = Jwts.es256(ec.getPrivate(), claims("42"));
    assertThat(failure(() -> v.verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void allKeysTogether() throws TokenException {
    TokenVerifier v = new TokenVerifier(config(SECRET, Jwts.pem(rsa.getPublic()), Jwts.pem(ec.getPublic())), false);
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("h")), now()).user()).isEqualTo("h");
    assertThat(v.verifyConnect(Jwts.rsa("RS256", rsa.getPrivate(), claims("r")), now()).user()).isEqualTo("r");
    assertThat(v.verifyConnect(Jwts.es256(ec.getPrivate(), claims("e")), now()).user()).isEqualTo("e");
  }

  // ---------------------------------------------------------------- audience and issuer

  static TokenVerifier audIss(String aud, String audRe, String iss, String issRe) {
    return new TokenVerifier(new TokenConfig(SECRET, "", "", "", aud, audRe, iss, issRe, "sub"), false);
  }

  @Test
  void audienceMustMatchWhenConfigured() throws TokenException {
    TokenVerifier v = audIss("gyre-app", "", "", "");
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("aud", "gyre-app")), now()).user())
        .isEqualTo("1");
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET,
        claims("1").put("aud", new JsonArray().add("other").add("gyre-app"))), now()).user()).isEqualTo("1");
    assertThat(failure(() -> v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("aud", "other")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
    assertThat(failure(() -> v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
    assertThat(failure(() -> v.verifySubscribe(
        Jwts.hmac("HS256", SECRET, claims("1").put("channel", "c").put("aud", "other")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void audienceRegex() throws TokenException {
    TokenVerifier v = audIss("", "^gyre-[0-9]+$", "", "");
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("aud", "gyre-12")), now()).user())
        .isEqualTo("1");
    assertThat(failure(() -> v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("aud", "gyre-x")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void audienceIgnoredWhenNotConfigured() throws TokenException {
    assertThat(hmacVerifier().verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("aud", "anything")), now())
        .user()).isEqualTo("1");
  }

  @Test
  void issuerMustMatchWhenConfigured() throws TokenException {
    TokenVerifier v = audIss("", "", "https://issuer.example", "");
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("iss", "https://issuer.example")), now())
        .user()).isEqualTo("1");
    assertThat(failure(() -> v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("iss", "evil")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
    assertThat(failure(() -> v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void issuerRegex() throws TokenException {
    TokenVerifier v = audIss("", "", "", "^https://.*\\.example$");
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("iss", "https://a.example")), now())
        .user()).isEqualTo("1");
    assertThat(failure(() -> v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("iss", "https://a.evil")),
        now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void audienceAndIssuerTogether() throws TokenException {
    TokenVerifier v = audIss("aud", "", "iss", "");
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET, claims("1").put("aud", "aud").put("iss", "iss")), now())
        .user()).isEqualTo("1");
    assertThat(failure(() -> v.verifyConnect(
        Jwts.hmac("HS256", SECRET, claims("1").put("aud", "aud").put("iss", "x")), now())))
        .isEqualTo(TokenException.Kind.INVALID);
  }

  // ---------------------------------------------------------------- connection claims

  @Test
  void channelClaimInConnectionTokenIsInvalid() {
    String token = Jwts.hmac("HS256", SECRET, claims("42").put("channel", "news"));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void infoIsRawJsonBytes() throws TokenException {
    JsonObject info = new JsonObject().put("name", "Alice").put("n", 1);
    ConnectToken t = hmacVerifier().verifyConnect(Jwts.hmac("HS256", SECRET, claims("42").put("info", info)), now());
    assertThat(new JsonObject(new String(t.info(), StandardCharsets.UTF_8))).isEqualTo(info);
    ConnectToken s = hmacVerifier().verifyConnect(Jwts.hmac("HS256", SECRET, claims("42").put("info", "text")), now());
    assertThat(new String(s.info(), StandardCharsets.UTF_8)).isEqualTo("\"text\"");
  }

  @Test
  void b64InfoWinsOverInfo() throws TokenException {
    byte[] binary = {0, 1, 2, (byte) 0xff};
    String token = Jwts.hmac("HS256", SECRET, claims("42").put("info", new JsonObject().put("a", 1))
        .put("b64info", Base64.getEncoder().encodeToString(binary)));
    assertThat(hmacVerifier().verifyConnect(token, now()).info()).containsExactly(binary);
  }

  @Test
  void invalidB64InfoIsInvalid() {
    String token = Jwts.hmac("HS256", SECRET, claims("42").put("b64info", "%%%not base64%%%"));
    assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void channelsClaimBecomesServerSideSubs() throws TokenException {
    String token = Jwts.hmac("HS256", SECRET, claims("42").put("channels", new JsonArray().add("news").add("chat:1")));
    ConnectToken t = hmacVerifier().verifyConnect(token, now());
    assertThat(t.subs()).extracting(ServerSideSub::channel).containsExactly("news", "chat:1");
    assertThat(t.subs()).allSatisfy(s -> {
      assertThat(s.override()).isEqualTo(SubscribeOverride.NONE);
      assertThat(s.info()).isNull();
      assertThat(s.data()).isNull();
    });
  }

  @Test
  void subsClaimWithOptionsAndOverride() throws TokenException {
    JsonObject subs = new JsonObject()
        .put("news", new JsonObject()
            .put("info", new JsonObject().put("x", 1))
            .put("b64data", Base64.getEncoder().encodeToString("hi".getBytes(StandardCharsets.UTF_8)))
            .put("override", new JsonObject().put("presence", new JsonObject().put("value", true))
                .put("join_leave", new JsonObject().put("value", false))))
        .put("chat:1", new JsonObject());
    String token = Jwts.hmac("HS256", SECRET, claims("42").put("subs", subs)
        .put("channels", new JsonArray().add("ignored")));
    ConnectToken t = hmacVerifier().verifyConnect(token, now());
    assertThat(t.subs()).extracting(ServerSideSub::channel).containsExactlyInAnyOrder("news", "chat:1");
    ServerSideSub news = t.subs().stream().filter(s -> s.channel().equals("news")).findFirst().orElseThrow();
    assertThat(new String(news.info(), StandardCharsets.UTF_8)).isEqualTo("{\"x\":1}");
    assertThat(new String(news.data(), StandardCharsets.UTF_8)).isEqualTo("hi");
    assertThat(news.override().presence()).isTrue();
    assertThat(news.override().joinLeave()).isFalse();
    assertThat(news.override().forcePushJoinLeave()).isNull();
    assertThat(news.override().forcePositioning()).isNull();
    assertThat(news.override().forceRecovery()).isNull();
    ServerSideSub chat = t.subs().stream().filter(s -> s.channel().equals("chat:1")).findFirst().orElseThrow();
    assertThat(chat.override()).isEqualTo(SubscribeOverride.NONE);
  }

  @Test
  void metaClaim() throws TokenException {
    JsonObject meta = new JsonObject().put("role", "admin");
    ConnectToken t = hmacVerifier().verifyConnect(Jwts.hmac("HS256", SECRET, claims("42").put("meta", meta)), now());
    assertThat(t.meta()).isEqualTo(meta);
    assertThat(hmacVerifier().verifyConnect(Jwts.hmac("HS256", SECRET, claims("42")), now()).meta()).isNull();
  }

  @Test
  void claimTypeErrorsAreInvalid() {
    JsonObject[] bad = {
        claims("1").put("sub", 42),
        claims("1").put("exp", "tomorrow"),
        claims("1").put("nbf", "later"),
        claims("1").put("iat", "now"),
        claims("1").put("expire_at", "never"),
        claims("1").put("channels", "news"),
        claims("1").put("channels", new JsonArray().add(1)),
        claims("1").put("subs", new JsonArray().add("news")),
        claims("1").put("subs", new JsonObject().put("news", "yes")),
        claims("1").put("subs", new JsonObject().put("news", new JsonObject().put("override", "x"))),
        claims("1").put("subs", new JsonObject().put("news",
            new JsonObject().put("override", new JsonObject().put("presence", true)))),
        claims("1").put("b64info", 5),
        claims("1").put("caps", "all"),
        claims("1").put("caps", new JsonArray().add("x")),
        claims("1").put("caps", new JsonArray().add(new JsonObject().put("channels", new JsonArray().add("x"))
            .put("match", "glob"))),
    };
    for (JsonObject c : bad) {
      String token = Jwts.hmac("HS256", SECRET, c);
      assertThat(failure(() -> hmacVerifier().verifyConnect(token, now()))).as(c.encode())
          .isEqualTo(TokenException.Kind.INVALID);
    }
  }

  @Test
  void customUserIdClaim() throws TokenException {
    TokenVerifier v = new TokenVerifier(new TokenConfig(SECRET, "", "", "", "", "", "", "", "user_id"), false);
    JsonObject c = new JsonObject().put("sub", "from-sub").put("user_id", "from-claim").put("exp", now() + 60);
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET, c), now()).user()).isEqualTo("from-claim");
    JsonObject onlySub = new JsonObject().put("sub", "from-sub");
    assertThat(v.verifyConnect(Jwts.hmac("HS256", SECRET, onlySub), now()).user()).isEmpty();
    JsonObject sub = c.copy().put("channel", "news");
    assertThat(v.verifySubscribe(Jwts.hmac("HS256", SECRET, sub), now()).user()).isEqualTo("from-claim");
  }

  // ---------------------------------------------------------------- subscription tokens

  @Test
  void subscriptionTokenClaims() throws TokenException {
    long exp = now() + 600;
    JsonObject c = new JsonObject().put("sub", "42").put("channel", "$private:room").put("exp", exp)
        .put("client", "client-id").put("info", new JsonObject().put("k", "v"))
        .put("data", new JsonArray().add(1))
        .put("override", new JsonObject().put("force_recovery", new JsonObject().put("value", true)));
    SubscriptionToken t = hmacVerifier().verifySubscribe(Jwts.hmac("HS384", SECRET, c), now());
    assertThat(t.user()).isEqualTo("42");
    assertThat(t.channel()).isEqualTo("$private:room");
    assertThat(t.client()).isEqualTo("client-id");
    assertThat(t.expireAt()).isEqualTo(exp);
    assertThat(new String(t.info(), StandardCharsets.UTF_8)).isEqualTo("{\"k\":\"v\"}");
    assertThat(new String(t.data(), StandardCharsets.UTF_8)).isEqualTo("[1]");
    assertThat(t.override().forceRecovery()).isTrue();
    assertThat(t.override().presence()).isNull();
  }

  @Test
  void subscriptionTokenB64FieldsAndExpireAt() throws TokenException {
    long exp = now() + 600;
    JsonObject c = new JsonObject().put("sub", "42").put("channel", "news").put("exp", exp).put("expire_at", 0)
        .put("info", "ignored").put("b64info", Base64.getEncoder().encodeToString(new byte[] {9}))
        .put("b64data", Base64.getEncoder().encodeToString(new byte[] {7, 8}));
    SubscriptionToken t = hmacVerifier().verifySubscribe(Jwts.hmac("HS256", SECRET, c), now());
    assertThat(t.expireAt()).isZero();
    assertThat(t.info()).containsExactly(9);
    assertThat(t.data()).containsExactly(7, 8);
    assertThat(t.override()).isEqualTo(SubscribeOverride.NONE);
    assertThat(t.client()).isEmpty();
  }

  @Test
  void subscriptionTokenRequiresChannel() {
    String none = Jwts.hmac("HS256", SECRET, claims("42"));
    String empty = Jwts.hmac("HS256", SECRET, claims("42").put("channel", ""));
    String number = Jwts.hmac("HS256", SECRET, claims("42").put("channel", 5));
    for (String token : new String[] {none, empty, number}) {
      assertThat(failure(() -> hmacVerifier().verifySubscribe(token, now()))).isEqualTo(TokenException.Kind.INVALID);
    }
  }

  @Test
  void subscriptionTokenWithWrongSecretIsInvalid() {
    String token = Jwts.hmac("HS256", "nope", claims("42").put("channel", "news"));
    assertThat(failure(() -> hmacVerifier().verifySubscribe(token, now()))).isEqualTo(TokenException.Kind.INVALID);
  }

  @Test
  void rsaAndEcSubscriptionTokens() throws TokenException {
    TokenVerifier v = new TokenVerifier(config("", Jwts.pem(rsa.getPublic()), Jwts.pem(ec.getPublic())), false);
    assertThat(v.verifySubscribe(Jwts.rsa("RS256", rsa.getPrivate(), claims("1").put("channel", "a")), now())
        .channel()).isEqualTo("a");
    assertThat(v.verifySubscribe(Jwts.es256(ec.getPrivate(), claims("1").put("channel", "b")), now())
        .channel()).isEqualTo("b");
  }

  // ---------------------------------------------------------------- caps claim

  static Capabilities caps(JsonArray caps) throws TokenException {
    return hmacVerifier().verifyConnect(Jwts.hmac("HS256", SECRET, claims("42").put("caps", caps)), now()).caps();
  }

  static JsonObject cap(String match, JsonArray channels, String... allow) {
    JsonObject o = new JsonObject().put("channels", channels).put("allow", new JsonArray(java.util.List.of(allow)));
    if (match != null) o.put("match", match);
    return o;
  }

  @Test
  void capsExactMatch() throws TokenException {
    Capabilities c = caps(new JsonArray().add(cap(null, new JsonArray().add("news").add("chat:index"), "sub", "hst")));
    assertThat(c.allows("news", "sub")).isTrue();
    assertThat(c.allows("news", "hst")).isTrue();
    assertThat(c.allows("news", "pub")).isFalse();
    assertThat(c.allows("chat:index", "sub")).isTrue();
    assertThat(c.allows("news2", "sub")).isFalse();
    assertThat(c.allows("new", "sub")).isFalse();
  }

  @Test
  void capsWildcardMatch() throws TokenException {
    Capabilities c = caps(new JsonArray().add(cap("wildcard", new JsonArray().add("chat:*"), "sub", "pub")));
    assertThat(c.allows("chat:1", "sub")).isTrue();
    assertThat(c.allows("chat:", "pub")).isTrue();
    assertThat(c.allows("chat:a:b", "pub")).isTrue();
    assertThat(c.allows("chat:1", "prs")).isFalse();
    assertThat(c.allows("news:1", "sub")).isFalse();
    assertThat(c.allows("xchat:1", "sub")).isFalse();
  }

  @Test
  void capsRegexMatch() throws TokenException {
    Capabilities c = caps(new JsonArray().add(cap("regex", new JsonArray().add("^user:[0-9]+$"), "prs")));
    assertThat(c.allows("user:42", "prs")).isTrue();
    assertThat(c.allows("user:abc", "prs")).isFalse();
    assertThat(c.allows("user:42", "sub")).isFalse();
  }

  @Test
  void capsFirstMatchingEntryDecides() throws TokenException {
    Capabilities c = caps(new JsonArray()
        .add(cap(null, new JsonArray().add("news"), "pub"))
        .add(cap("wildcard", new JsonArray().add("n*"), "sub", "pub")));
    assertThat(c.allows("news", "pub")).isTrue();
    assertThat(c.allows("news", "sub")).isFalse(); // the first entry matched and does not grant sub
    assertThat(c.allows("nova", "sub")).isTrue();
    assertThat(c.allows("other", "sub")).isFalse();
  }

  @Test
  void capsWithoutMatchGrantNothing() throws TokenException {
    Capabilities c = caps(new JsonArray().add(cap(null, new JsonArray().add("a"), "sub", "pub", "prs", "hst")));
    for (String cap : new String[] {"sub", "pub", "prs", "hst"}) {
      assertThat(c.allows("b", cap)).isFalse();
      assertThat(c.allows("a", cap)).isTrue();
    }
    assertThat(caps(new JsonArray()).allows("a", "sub")).isFalse();
  }
}
