package dev.gyre.auth;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.impl.jose.JWT;

/** Signs HS256 tokens with the configured HMAC secret, for the gentoken and gensubtoken commands and tests. */
public final class TokenSigner {
  private final JWT jwt = new JWT();

  public TokenSigner(String hmacSecret) {
    if (hmacSecret == null || hmacSecret.isEmpty()) throw new IllegalArgumentException("no HMAC secret configured");
    jwt.addJWK(new JWK(new PubSecKeyOptions().setAlgorithm("HS256").setBuffer(hmacSecret)));
  }

  /** Signs the claims as given; no claim is added. */
  public String sign(JsonObject claims) {
    return jwt.sign(claims.copy(), new JWTOptions().setAlgorithm("HS256").setNoTimestamp(true));
  }
}
