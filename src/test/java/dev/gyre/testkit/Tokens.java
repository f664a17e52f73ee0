package dev.gyre.testkit;

import dev.gyre.auth.TokenSigner;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/** HS256 tokens signed with the test secret. */
public final class Tokens {
  private static final TokenSigner SIGNER = new TokenSigner(TestServer.SECRET);

  private Tokens() {}

  public static String sign(JsonObject claims) {
    return SIGNER.sign(claims);
  }

  public static String user(String user) {
    return sign(new JsonObject().put("sub", user).put("exp", now() + 3600));
  }

  public static String userWithCaps(String user, String channel, String... allow) {
    return sign(new JsonObject().put("sub", user).put("exp", now() + 3600).put("caps",
        new JsonArray().add(new JsonObject().put("channels", new JsonArray().add(channel))
            .put("allow", new JsonArray(java.util.List.of(allow))))));
  }

  public static String subscription(String user, String channel, long ttlSeconds) {
    JsonObject c = new JsonObject().put("sub", user).put("channel", channel);
    if (ttlSeconds > 0) c.put("exp", now() + ttlSeconds);
    return sign(c);
  }

  public static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
