package dev.gyre.auth;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.internal.ContextInternal;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.impl.jose.JWK;
import io.vertx.ext.auth.impl.jose.JWT;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The public keys of one JWKS endpoint ({@code client.token.jwks_public_endpoint}), by key id and
 * algorithm. The URL is fixed by configuration — nothing from a token ever reaches it — and
 * redirects are not followed (security.md: JWKS SSRF). Only RSA and EC keys are taken; a key
 * without {@code alg} verifies only its own family (RS256/384/512 for RSA, the curve's ES
 * algorithm for EC), never HMAC. Keys are fetched on the first token that names an unknown
 * {@code kid} (at most once per {@link #MIN_REFETCH_MS}) and every {@link #REFRESH_MS}. Thread-safe:
 * the key map is replaced whole; waiting callers are answered on their own context.
 */
public final class JwksKeys {
  private static final Logger log = LoggerFactory.getLogger(JwksKeys.class);
  static final long MIN_REFETCH_MS = 5_000;
  static final long REFRESH_MS = 3_600_000;
  static final long FETCH_TIMEOUT_MS = 5_000;
  static final int MAX_BODY = 1 << 20;

  private final Vertx vertx;
  private final String endpoint;
  private HttpClient client;
  private volatile Map<String, Map<String, JWT>> keys = Map.of();
  private Future<Void> fetching;
  private long lastFetchMs = Long.MIN_VALUE / 2;
  private long refreshTimer = -1;
  /** Whether the last fetch failed: a key id it could not show unknown is then not the token's fault. */
  private volatile boolean lastFetchFailed;

  public JwksKeys(Vertx vertx, String endpoint) {
    this.vertx = vertx;
    this.endpoint = endpoint;
  }

  /** Created on the first fetch: a node that fails to start leaves no client behind. */
  private synchronized HttpClient client() {
    if (client == null) client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout((int) FETCH_TIMEOUT_MS));
    return client;
  }

  /** Fetches now and then every hour; a failure is logged, and the next unknown key id fetches again. */
  public Future<Void> start() {
    refreshTimer = vertx.setPeriodic(REFRESH_MS, t -> fetch(true));
    return fetch(true);
  }

  /** The verifier for the key id and the token's algorithm, or null when the key is unknown or not for that algorithm. */
  JWT verifier(String kid, String alg) {
    Map<String, JWT> byAlg = keys.get(kid);
    return byAlg == null ? null : byAlg.get(alg);
  }

  boolean lastFetchFailed() {
    return lastFetchFailed;
  }

  boolean knows(String kid) {
    return keys.containsKey(kid);
  }

  /**
   * Completes on the caller's context once the key id is known, or once a fetch (at most one per
   * {@link #MIN_REFETCH_MS}) has shown it is not: verification then decides.
   */
  Future<Void> awaitKey(String kid) {
    if (knows(kid)) return Future.succeededFuture();
    ContextInternal ctx = (ContextInternal) vertx.getOrCreateContext();
    Promise<Void> answer = ctx.promise();
    fetch(false).onComplete(ar -> answer.tryComplete());
    return answer.future();
  }

  /**
   * One fetch at a time; an on-demand fetch within {@link #MIN_REFETCH_MS} of the previous one
   * waits for the window to pass (tokens with made-up key ids cannot make the node hammer the
   * endpoint), a scheduled one does not.
   */
  private synchronized Future<Void> fetch(boolean scheduled) {
    if (fetching != null) return fetching;
    long now = System.currentTimeMillis();
    long wait = scheduled ? 0 : Math.max(0, lastFetchMs + MIN_REFETCH_MS - now);
    lastFetchMs = now + wait;
    Future<Void> start = wait > 0 ? vertx.timer(wait).mapEmpty() : Future.succeededFuture();
    Future<Void> f = start.compose(v -> download()).map(body -> {
      keys = parse(body);
      lastFetchFailed = false;
      log.info("JWKS: {} key(s) from {}", keys.size(), endpoint);
      return (Void) null;
    }).onFailure(err -> {
      lastFetchFailed = true;
      log.warn("JWKS: cannot load keys from {}: {}", endpoint, err.getMessage());
    });
    fetching = f;
    f.onComplete(ar -> {
      synchronized (this) {
        fetching = null;
      }
    });
    return f;
  }

  private Future<JsonObject> download() {
    RequestOptions o = new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(endpoint)
        .setFollowRedirects(false).setIdleTimeout(FETCH_TIMEOUT_MS).putHeader("Accept", "application/json");
    return client().request(o).compose(req -> req.send()).compose(resp -> {
      if (resp.statusCode() != 200) return Future.failedFuture("HTTP status " + resp.statusCode());
      Promise<JsonObject> body = Promise.promise();
      Buffer buf = Buffer.buffer();
      resp.handler(chunk -> {
        if (buf.length() + chunk.length() > MAX_BODY) {
          body.tryFail("key set larger than " + MAX_BODY + " bytes");
          resp.request().reset();
        } else {
          buf.appendBuffer(chunk);
        }
      });
      resp.exceptionHandler(body::tryFail);
      resp.endHandler(v -> {
        try {
          body.tryComplete(buf.toJsonObject());
        } catch (RuntimeException e) {
          body.tryFail("not a JSON key set");
        }
      });
      return body.future();
    });
  }

  /** kid → algorithm → verifier, for the RSA and EC signing keys of a key set. */
  static Map<String, Map<String, JWT>> parse(JsonObject set) {
    JsonArray list = set.getJsonArray("keys");
    if (list == null) throw new IllegalArgumentException("no keys array");
    Map<String, Map<String, JWT>> out = new HashMap<>();
    for (Object o : list) {
      if (!(o instanceof JsonObject k)) continue;
      String kid = k.getString("kid");
      String kty = k.getString("kty", "");
      if (kid == null || "enc".equals(k.getString("use"))) continue;
      List<String> algs = allowed(kty, k.getString("alg"), k.getString("crv"));
      Map<String, JWT> byAlg = new HashMap<>();
      for (String alg : algs) {
        try {
          byAlg.put(alg, new JWT().addJWK(new JWK(k.copy().put("alg", alg))));
        } catch (RuntimeException e) {
          log.warn("JWKS: key {} ({}) skipped: {}", kid, alg, e.getMessage());
        }
      }
      if (!byAlg.isEmpty()) out.put(kid, Map.copyOf(byAlg));
    }
    return Map.copyOf(out);
  }

  /** The algorithms a key may verify: its own alg if it names one of its family, else the family's. */
  static List<String> allowed(String kty, String alg, String crv) {
    List<String> family = switch (kty) {
      case "RSA" -> List.of("RS256", "RS384", "RS512");
      case "EC" -> switch (crv == null ? "" : crv) {
        case "P-256" -> List.of("ES256");
        case "P-384" -> List.of("ES384");
        case "P-521" -> List.of("ES512");
        default -> List.of();
      };
      default -> List.of(); // oct (HMAC) and others: never from a public endpoint
    };
    if (alg == null) return family;
    return family.contains(alg) ? List.of(alg) : List.of();
  }

  public synchronized Future<Void> close() {
    if (refreshTimer >= 0) vertx.cancelTimer(refreshTimer);
    return client == null ? Future.succeededFuture() : client.close();
  }
}
