package dev.gyre.auth;

import dev.gyre.config.ConfigException;
import dev.gyre.config.TokenConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.impl.jose.JWT;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Verifies connection and subscription JWTs (spec/client-protocol.md §4.2, §5.4).
 *
 * <p>Only the algorithms of the configured keys are accepted: HS256/384/512 for the HMAC secret,
 * RS256/384/512 for the RSA key, ES256/384/512 for the ECDSA key. Anything else — {@code none},
 * an HMAC token when only an RSA key is set (the key-confusion attack) — is invalid before any
 * signature check. vertx-auth's JWT would accept unsigned tokens when it has no key, so a
 * verifier with no key refuses every token. Thread-safe; verification is CPU-only.
 */
public final class TokenVerifier {
  private final JWT jwt = new JWT();
  private final Set<String> algorithms = new HashSet<>();
  private final TokenConfig config;
  private final boolean skipSignature;
  private final Pattern audienceRegex;
  private final Pattern issuerRegex;
  private final JwksKeys jwks;

  /** A verifier of the static keys only (a JWKS endpoint, if configured, is checked but not used). */
  public TokenVerifier(TokenConfig config, boolean skipSignature) {
    this(config, skipSignature, null);
  }

  /**
   * @param jwks the keys of {@code jwks_public_endpoint}, or null: tokens carrying a {@code kid}
   *             are then checked against the static keys only
   */
  public TokenVerifier(TokenConfig config, boolean skipSignature, JwksKeys jwks) {
    this.config = config;
    this.skipSignature = skipSignature;
    this.jwks = jwks;
    if (!config.hmacSecretKey().isEmpty()) {
      for (String alg : List.of("HS256", "HS384", "HS512")) {
        add(alg, new PubSecKeyOptions().setAlgorithm(alg).setBuffer(config.hmacSecretKey()), "hmac_secret_key");
      }
    }
    if (!config.rsaPublicKey().isEmpty()) {
      for (String alg : List.of("RS256", "RS384", "RS512")) {
        add(alg, new PubSecKeyOptions().setAlgorithm(alg).setBuffer(config.rsaPublicKey()), "rsa_public_key");
      }
    }
    if (!config.ecdsaPublicKey().isEmpty()) {
      // An EC key has one curve; only the matching ES algorithm can be built.
      for (String alg : List.of("ES256", "ES384", "ES512")) {
        try {
          add(alg, new PubSecKeyOptions().setAlgorithm(alg).setBuffer(config.ecdsaPublicKey()), "ecdsa_public_key");
        } catch (ConfigException ignored) {
          // another curve
        }
      }
      if (algorithms.stream().noneMatch(a -> a.startsWith("ES"))) {
        throw new ConfigException("client.token.ecdsa_public_key", "is not a valid EC public key in PEM format");
      }
    }
    if (!config.jwksPublicEndpoint().isEmpty()) checkEndpoint(config.jwksPublicEndpoint());
    audienceRegex = compile(config.audienceRegex(), "client.token.audience_regex");
    issuerRegex = compile(config.issuerRegex(), "client.token.issuer_regex");
  }

  /** A static http(s) URL: the only place keys are fetched from. */
  private static void checkEndpoint(String url) {
    java.net.URI u;
    try {
      u = new java.net.URI(url);
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException("client.token.jwks_public_endpoint", "is not a valid URL");
    }
    if (!("https".equals(u.getScheme()) || "http".equals(u.getScheme())) || u.getHost() == null) {
      throw new ConfigException("client.token.jwks_public_endpoint", "must be an absolute http:// or https:// URL");
    }
  }

  /** Whether any key is configured (a verifier without keys rejects every token). */
  public boolean hasKeys() {
    return !algorithms.isEmpty() || !config.jwksPublicEndpoint().isEmpty();
  }

  /**
   * Completes when the keys this token needs are at hand: at once unless it names a JWKS key id
   * not loaded yet, then after a fetch of the key set (on the caller's context). Verification
   * itself stays synchronous; call it afterwards.
   */
  public io.vertx.core.Future<Void> prepare(String token) {
    if (jwks == null || skipSignature || token == null || token.isEmpty() || token.length() > 16384) {
      return io.vertx.core.Future.succeededFuture();
    }
    String kid;
    try {
      kid = JWT.parse(token).getJsonObject("header").getString("kid");
    } catch (RuntimeException e) {
      return io.vertx.core.Future.succeededFuture(); // malformed: verification says so
    }
    return kid == null ? io.vertx.core.Future.succeededFuture() : jwks.awaitKey(kid);
  }

  public ConnectToken verifyConnect(String token, long nowSeconds) throws TokenException {
    JsonObject c = claims(token, nowSeconds);
    if (c.containsKey("channel")) throw TokenException.invalid("channel claim in connection token");
    String user = string(c, config.userIdClaim());
    long expireAt = expireAt(c);
    byte[] info = info(c, "info", "b64info");
    List<ServerSideSub> subs = new ArrayList<>();
    Object subsClaim = c.getValue("subs");
    if (subsClaim != null) {
      if (!(subsClaim instanceof JsonObject so)) throw TokenException.invalid("subs must be an object");
      for (String ch : so.fieldNames()) {
        Object opts = so.getValue(ch);
        JsonObject o = opts == null ? new JsonObject() : opts instanceof JsonObject j ? j : null;
        if (o == null) throw TokenException.invalid("subs entries must be objects");
        subs.add(new ServerSideSub(ch, info(o, "info", "b64info"), info(o, "data", "b64data"), override(o)));
      }
    } else if (c.getValue("channels") != null) {
      if (!(c.getValue("channels") instanceof JsonArray arr)) throw TokenException.invalid("channels must be a list");
      for (Object ch : arr) {
        if (!(ch instanceof String s)) throw TokenException.invalid("channels must be strings");
        subs.add(new ServerSideSub(s, null, null, SubscribeOverride.NONE));
      }
    }
    Object meta = c.getValue("meta");
    return new ConnectToken(user, expireAt, info, List.copyOf(subs), meta instanceof JsonObject m ? m : null,
        caps(c.getValue("caps")));
  }

  public SubscriptionToken verifySubscribe(String token, long nowSeconds) throws TokenException {
    JsonObject c = claims(token, nowSeconds);
    String channel = string(c, "channel");
    if (channel.isEmpty()) throw TokenException.invalid("no channel claim");
    return new SubscriptionToken(string(c, config.userIdClaim()), channel, string(c, "client"), expireAt(c),
        info(c, "info", "b64info"), info(c, "data", "b64data"), override(c));
  }

  /** Checks the signature and the registered claims; returns the claims. */
  JsonObject claims(String token, long now) throws TokenException {
    if (token == null || token.isEmpty() || token.length() > 16384) throw TokenException.invalid("empty or oversized token");
    JsonObject payload;
    try {
      JsonObject parsed = JWT.parse(token);
      String alg = parsed.getJsonObject("header").getString("alg");
      String kid = parsed.getJsonObject("header").getString("kid");
      if (skipSignature) {
        payload = parsed.getJsonObject("payload");
      } else if (jwks != null && kid != null && alg != null && (alg.startsWith("RS") || alg.startsWith("ES"))) {
        // A key id is looked up in the key set only, and the key must be of the token's algorithm.
        JWT key = jwks.verifier(kid, alg);
        if (key == null && !jwks.knows(kid) && jwks.lastFetchFailed()) {
          throw new TokenException(TokenException.Kind.KEYS_UNAVAILABLE, "JWKS key set unavailable");
        }
        if (key == null) throw TokenException.invalid("unknown key id or algorithm for it");
        if (token.split("\\.", -1).length != 3) throw TokenException.invalid("token not signed");
        payload = key.decode(token);
      } else {
        if (alg == null || !algorithms.contains(alg)) throw TokenException.invalid("algorithm not allowed");
        if (token.split("\\.", -1).length != 3) throw TokenException.invalid("token not signed");
        payload = jwt.decode(token);
      }
    } catch (TokenException e) {
      throw e;
    } catch (Exception e) {
      throw TokenException.invalid("malformed or bad signature");
    }
    if (payload == null) throw TokenException.invalid("no payload");
    Long exp = number(payload, "exp");
    if (exp != null && exp > 0 && now >= exp) throw new TokenException(TokenException.Kind.EXPIRED, "token expired");
    Long nbf = number(payload, "nbf");
    if (nbf != null && nbf > now) throw new TokenException(TokenException.Kind.EXPIRED, "token not valid yet");
    number(payload, "iat");
    checkAudience(payload);
    checkIssuer(payload);
    return payload;
  }

  private void checkAudience(JsonObject c) throws TokenException {
    if (config.audience().isEmpty() && audienceRegex == null) return;
    List<String> auds = new ArrayList<>();
    Object aud = c.getValue("aud");
    if (aud instanceof String s) auds.add(s);
    else if (aud instanceof JsonArray a) for (Object o : a) if (o instanceof String s) auds.add(s);
    boolean ok = auds.stream().anyMatch(a -> (!config.audience().isEmpty() && a.equals(config.audience()))
        || (audienceRegex != null && audienceRegex.matcher(a).matches()));
    if (!ok) throw TokenException.invalid("audience mismatch");
  }

  private void checkIssuer(JsonObject c) throws TokenException {
    if (config.issuer().isEmpty() && issuerRegex == null) return;
    Object iss = c.getValue("iss");
    boolean ok = iss instanceof String s && ((!config.issuer().isEmpty() && s.equals(config.issuer()))
        || (issuerRegex != null && issuerRegex.matcher(s).matches()));
    if (!ok) throw TokenException.invalid("issuer mismatch");
  }

  private static long expireAt(JsonObject c) throws TokenException {
    if (c.containsKey("expire_at")) {
      Long e = number(c, "expire_at");
      return e == null ? 0 : e;
    }
    Long exp = number(c, "exp");
    return exp == null ? 0 : exp;
  }

  private static Capabilities caps(Object claim) throws TokenException {
    if (claim == null) return Capabilities.NONE;
    if (!(claim instanceof JsonArray arr)) throw TokenException.invalid("caps must be a list");
    List<Capabilities.Entry> entries = new ArrayList<>();
    for (Object o : arr) {
      if (!(o instanceof JsonObject cap)) throw TokenException.invalid("caps entries must be objects");
      try {
        String match = cap.getString("match", "");
        List<java.util.regex.Pattern> channels = new ArrayList<>();
        for (Object ch : cap.getJsonArray("channels", new JsonArray())) channels.add(Capabilities.pattern((String) ch, match));
        Set<String> allow = new HashSet<>();
        for (Object a : cap.getJsonArray("allow", new JsonArray())) allow.add((String) a);
        entries.add(new Capabilities.Entry(List.copyOf(channels), Set.copyOf(allow)));
      } catch (RuntimeException e) {
        throw TokenException.invalid("malformed caps entry");
      }
    }
    return new Capabilities(List.copyOf(entries));
  }

  private static SubscribeOverride override(JsonObject c) throws TokenException {
    Object o = c.getValue("override");
    if (o == null) return SubscribeOverride.NONE;
    if (!(o instanceof JsonObject ov)) throw TokenException.invalid("override must be an object");
    return new SubscribeOverride(boolValue(ov, "presence"), boolValue(ov, "join_leave"),
        boolValue(ov, "force_push_join_leave"), boolValue(ov, "force_positioning"), boolValue(ov, "force_recovery"));
  }

  private static Boolean boolValue(JsonObject o, String key) throws TokenException {
    Object v = o.getValue(key);
    if (v == null) return null;
    if (v instanceof JsonObject bv && (bv.getValue("value") == null || bv.getValue("value") instanceof Boolean)) {
      return Boolean.TRUE.equals(bv.getValue("value"));
    }
    throw TokenException.invalid("override values must be {\"value\": bool}");
  }

  private static byte[] info(JsonObject c, String rawKey, String b64Key) throws TokenException {
    Object b64 = c.getValue(b64Key);
    if (b64 != null) {
      if (!(b64 instanceof String s)) throw TokenException.invalid(b64Key + " must be a string");
      if (!s.isEmpty()) {
        try {
          return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
          throw TokenException.invalid(b64Key + " is not base64");
        }
      }
    }
    if (!c.containsKey(rawKey)) return null;
    return io.vertx.core.json.Json.encode(c.getValue(rawKey)).getBytes(StandardCharsets.UTF_8);
  }

  private static String string(JsonObject c, String key) throws TokenException {
    Object v = c.getValue(key);
    if (v == null) return "";
    if (!(v instanceof String s)) throw TokenException.invalid(key + " must be a string");
    return s;
  }

  private static Long number(JsonObject c, String key) throws TokenException {
    Object v = c.getValue(key);
    if (v == null) return null;
    if (!(v instanceof Number n)) throw TokenException.invalid(key + " must be a number");
    return n.longValue();
  }

  private void add(String alg, PubSecKeyOptions options, String key) {
    try {
      jwt.addJWK(new JWK(options));
      algorithms.add(alg);
    } catch (RuntimeException e) {
      throw new ConfigException("client.token." + key, "cannot be used for " + alg + ": " + e.getMessage());
    }
  }

  private static Pattern compile(String regex, String key) {
    if (regex.isEmpty()) return null;
    try {
      return Pattern.compile(regex);
    } catch (RuntimeException e) {
      throw new ConfigException(key, "does not compile");
    }
  }
}
