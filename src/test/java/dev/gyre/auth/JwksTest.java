package dev.gyre.auth;

import dev.gyre.testkit.TestServer;
import dev.gyre.testkit.WsClient;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Connection tokens verified with keys from a JWKS endpoint (client.token.jwks_public_endpoint):
 * a real key server on loopback, a real node, real WebSocket clients. Keys rotate without a
 * restart; a key id, an algorithm or a redirect the key set does not allow gets the token refused.
 */
class JwksTest {
  static Vertx keyServerVertx;
  static HttpServer keyServer;
  static final AtomicReference<JsonObject> keySet = new AtomicReference<>(new JsonObject().put("keys", new JsonArray()));
  static final AtomicInteger fetches = new AtomicInteger();
  static TestServer server;
  static final KeyPair rsa = Jwts.rsaKeyPair();
  static final KeyPair ec = Jwts.ecKeyPair("secp256r1");
  static final KeyPair stranger = Jwts.rsaKeyPair();

  @BeforeAll
  static void start() throws Exception {
    keySet.set(new JsonObject().put("keys", new JsonArray().add(Jwts.jwk("rsa-1", rsa.getPublic()))));
    keyServerVertx = Vertx.vertx();
    keyServer = keyServerVertx.createHttpServer().requestHandler(req -> {
      if (req.path().equals("/moved")) {
        req.response().setStatusCode(302).putHeader("Location", "http://127.0.0.1:" + req.localAddress().port() + "/jwks").end();
        return;
      }
      fetches.incrementAndGet();
      req.response().putHeader("Content-Type", "application/json").end(keySet.get().encode());
    }).listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    server = TestServer.start(new JsonObject().put("client", new JsonObject().put("token", new JsonObject()
        .put("hmac_secret_key", TestServer.SECRET)
        .put("jwks_public_endpoint", "http://127.0.0.1:" + keyServer.actualPort() + "/jwks"))));
  }

  @AfterAll
  static void stop() throws Exception {
    server.close();
    keyServerVertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  private static JsonObject claims(String user) {
    return new JsonObject().put("sub", user).put("exp", System.currentTimeMillis() / 1000 + 600);
  }

  private static int closeCodeFor(String token) {
    try (WsClient c = server.client()) {
      c.send(new JsonObject().put("id", 1).put("connect", new JsonObject().put("token", token)).encode());
      return c.awaitClose(15_000);
    }
  }

  @Test
  void aTokenSignedWithAKeyOfTheSetConnects() {
    try (WsClient c = server.client()) {
      JsonObject reply = c.connect(Jwts.withKid("RS256", "rsa-1", rsa.getPrivate(), claims("alice")));
      assertThat(reply.getJsonObject("connect").getString("client")).isNotEmpty();
    }
    // Tokens without a key id still go to the static keys.
    try (WsClient c = server.client()) {
      assertThat(c.connect(dev.gyre.testkit.Tokens.user("bob")).getJsonObject("connect")).isNotNull();
    }
  }

  @Test
  void aRotatedInKeyIsFetchedWhenATokenFirstNamesIt() {
    JsonArray both = new JsonArray().add(Jwts.jwk("rsa-1", rsa.getPublic())).add(Jwts.jwk("ec-2", ec.getPublic()));
    keySet.set(new JsonObject().put("keys", both));
    int before = fetches.get();
    try (WsClient c = server.client()) {
      // The fetch may wait out the refetch window after the previous one (5 s).
      c.send(new JsonObject().put("id", 1).put("connect", new JsonObject()
          .put("token", Jwts.withKid("ES256", "ec-2", ec.getPrivate(), claims("carol")))).encode());
      JsonObject reply = c.next(m -> m.getInteger("id", 0) == 1, JwksKeys.MIN_REFETCH_MS + WsClient.WAIT_MS);
      assertThat(reply.getJsonObject("connect").getString("client")).isNotEmpty();
    }
    assertThat(fetches.get()).isGreaterThan(before);
  }

  @Test
  void keysTheSetDoesNotVouchForAreRefused() {
    // An unknown key id (a fetch shows it is still unknown), a key of the set with another
    // algorithm, the right key id over a signature by another key, HMAC under a JWKS key id.
    assertThat(closeCodeFor(Jwts.withKid("RS256", "nobody", stranger.getPrivate(), claims("x")))).isEqualTo(3500);
    assertThat(closeCodeFor(Jwts.withKid("ES256", "rsa-1", ec.getPrivate(), claims("x")))).isEqualTo(3500);
    assertThat(closeCodeFor(Jwts.withKid("RS256", "rsa-1", stranger.getPrivate(), claims("x")))).isEqualTo(3500);
    assertThat(JwksKeys.allowed("oct", null, null)).isEmpty();
    assertThat(JwksKeys.allowed("RSA", "HS256", null)).isEmpty();
    assertThat(JwksKeys.allowed("RSA", null, null)).containsExactly("RS256", "RS384", "RS512");
    assertThat(JwksKeys.allowed("EC", null, "P-384")).containsExactly("ES384");
  }

  @Test
  void anUnreachableKeySetIsATemporaryErrorNotAnInvalidToken() {
    // Nothing listens on this port: the key set cannot be loaded, so a token naming a key id gets
    // the retryable internal error (100), not the terminal invalid-token disconnect.
    int dead = TestServer.freePort();
    try (TestServer down = TestServer.start(new JsonObject().put("client", new JsonObject().put("token", new JsonObject()
        .put("hmac_secret_key", TestServer.SECRET).put("jwks_public_endpoint", "http://127.0.0.1:" + dead + "/jwks"))));
         WsClient c = down.client()) {
      c.send(new JsonObject().put("id", 1).put("connect", new JsonObject()
          .put("token", Jwts.withKid("RS256", "rsa-1", rsa.getPrivate(), claims("dave")))).encode());
      JsonObject reply = c.next(m -> m.getInteger("id", 0) == 1, JwksKeys.MIN_REFETCH_MS + WsClient.WAIT_MS);
      assertThat(reply.getJsonObject("error").getInteger("code")).isEqualTo(100);
      assertThat(c.isClosed()).isFalse();
    }
  }

  @Test
  void aKeySetKeepsOnlySigningKeysOfRsaAndEc() {
    JsonObject set = new JsonObject().put("keys", new JsonArray()
        .add(Jwts.jwk("rsa-1", rsa.getPublic()))
        .add(Jwts.jwk("enc-1", rsa.getPublic()).put("use", "enc"))
        .add(new JsonObject().put("kty", "oct").put("kid", "hmac-1").put("k", "c2VjcmV0"))
        .add(Jwts.jwk("rs512-only", rsa.getPublic()).put("alg", "RS512"))
        .add(Jwts.jwk(null, rsa.getPublic()).putNull("kid")));
    Map<String, Map<String, io.vertx.ext.auth.impl.jose.JWT>> keys = JwksKeys.parse(set);
    assertThat(keys).containsOnlyKeys("rsa-1", "rs512-only");
    assertThat(keys.get("rsa-1")).containsOnlyKeys("RS256", "RS384", "RS512");
    assertThat(keys.get("rs512-only")).containsOnlyKeys("RS512");
  }

  @Test
  void aRedirectingEndpointIsNotFollowed() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JwksKeys keys = new JwksKeys(vertx, "http://127.0.0.1:" + keyServer.actualPort() + "/moved");
      int before = fetches.get();
      keys.start().otherwiseEmpty().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      assertThat(keys.knows("rsa-1")).isFalse();
      assertThat(fetches.get()).as("the redirect target was not fetched").isEqualTo(before);
      keys.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void oneUnknownKeyIdDoesNotFetchTwiceWithinTheWindow() throws Exception {
    Vertx vertx = Vertx.vertx();
    try {
      JwksKeys keys = new JwksKeys(vertx, "http://127.0.0.1:" + keyServer.actualPort() + "/jwks");
      keys.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      int before = fetches.get();
      // Ten tokens with made-up key ids at once: one fetch after the window, answered to all.
      List<io.vertx.core.Future<Void>> waits = new java.util.ArrayList<>();
      for (int i = 0; i < 10; i++) waits.add(keys.awaitKey("made-up-" + i));
      io.vertx.core.Future.all(waits).toCompletionStage().toCompletableFuture().get(JwksKeys.MIN_REFETCH_MS + 5000, TimeUnit.MILLISECONDS);
      assertThat(fetches.get() - before).isEqualTo(1);
      keys.close();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
