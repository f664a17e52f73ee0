package dev.gyre.api;

import dev.gyre.config.GyreConfig;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The HTTP server API: {@code POST <prefix>/<method>}, {@code POST <prefix>/batch} and the legacy
 * {@code POST <prefix>} envelope (spec/server-api.md §1–3, §6.14, §8). Order per request: POST
 * only (405), API key (401), body decode (400 "Bad Request"), then the method, whose result or
 * error travels in a 200 body (or as a bare error with its status in transport error mode).
 */
public final class HttpApiHandler {
  /** Largest accepted API body; Centrifugo sets none, Gyre bounds it. */
  public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

  private static final List<String> LEGACY_NAMES = List.of("publish", "broadcast", "unsubscribe", "disconnect",
      "presence", "presence_stats", "history", "history_remove", "channels", "info", "rpc", "subscribe", "refresh");

  private final ApiExecutor executor;
  private final GyreConfig.HttpApi config;
  private final byte[] key;

  public HttpApiHandler(ApiExecutor executor, GyreConfig config) {
    this.executor = executor;
    this.config = config.httpApi();
    this.key = this.config.key().getBytes(StandardCharsets.UTF_8);
  }

  public void mount(Router router) {
    String prefix = config.handlerPrefix().equals("/") ? "" : config.handlerPrefix();
    BodyHandler body = BodyHandler.create(false).setBodyLimit(MAX_BODY_BYTES);
    for (String method : ApiExecutor.METHODS) {
      router.route(prefix + "/" + method).handler(body).handler(this::guard).handler(rc -> method(rc, method));
    }
    router.route(prefix + "/batch").handler(body).handler(this::guard).handler(this::batch);
    router.route(prefix.isEmpty() ? "/" : prefix).handler(body).handler(this::guard).handler(this::legacy);
  }

  private void guard(RoutingContext rc) {
    String path = rc.request().path();
    if (path.length() > 1 && path.endsWith("/")) {
      rc.response().setStatusCode(404).end(); // paths are exact: /api/publish/ is not /api/publish
    } else if (rc.request().method() != HttpMethod.POST) {
      rc.response().setStatusCode(405).end();
    } else if (!config.insecure() && !authorized(rc)) {
      rc.response().setStatusCode(401).end();
    } else {
      rc.next();
    }
  }

  /** X-API-Key when present and non-empty, else {@code Authorization: apikey <key>}; constant-time. */
  private boolean authorized(RoutingContext rc) {
    if (key.length == 0) return false;
    String header = rc.request().getHeader("X-API-Key");
    if (header != null && !header.isEmpty()) return matches(header);
    String auth = rc.request().getHeader("Authorization");
    if (auth == null) return false;
    String[] parts = auth.trim().split("\\s+");
    return parts.length == 2 && parts[0].toLowerCase(Locale.ROOT).equals("apikey") && matches(parts[1]);
  }

  private boolean matches(String given) {
    return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key);
  }

  private static byte[] body(RoutingContext rc) {
    Buffer b = rc.body().buffer();
    return b == null ? new byte[0] : b.getBytes();
  }

  private void method(RoutingContext rc, String method) {
    JsonObject request;
    try {
      request = ApiJson.parseObject(body(rc), ApiJson.Shape.REQUEST);
    } catch (IllegalArgumentException e) {
      badRequest(rc);
      return;
    }
    boolean transportMode = "transport".equals(config.errorMode())
        || "transport".equalsIgnoreCase(rc.request().getHeader("X-Centrifugo-Error-Mode"));
    executor.execute(method, request).onComplete(ar -> {
      if (ar.succeeded()) {
        json(rc, 200, new JsonObject().put("result", ar.result()));
      } else if (transportMode) {
        ApiError e = ar.cause() instanceof ApiException a ? a.error() : ApiError.INTERNAL;
        json(rc, e.httpStatus(), new JsonObject().put("code", e.code()).put("message", e.message()));
      } else {
        json(rc, 200, ApiExecutor.errorObject(ar.cause()));
      }
    });
  }

  private void batch(RoutingContext rc) {
    JsonObject request;
    try {
      request = ApiJson.parseObject(body(rc), ApiJson.Shape.BATCH);
    } catch (IllegalArgumentException e) {
      badRequest(rc);
      return;
    }
    executor.batch(request).onComplete(ar -> json(rc, 200, ar.succeeded() ? ar.result()
        : ApiExecutor.errorObject(ar.cause())));
  }

  private void legacy(RoutingContext rc) {
    List<Object> commands;
    try {
      commands = ApiJson.parseAll(body(rc), ApiJson.Shape.LEGACY);
    } catch (IllegalArgumentException e) {
      badRequest(rc);
      return;
    }
    List<String> methods = new ArrayList<>();
    for (Object o : commands) {
      if (!(o instanceof JsonObject c)) {
        badRequest(rc);
        return;
      }
      Object m = c.getValue("method");
      String name;
      if (m == null) {
        name = "publish";
      } else if (m instanceof String s) {
        name = s.toLowerCase(Locale.ROOT);
        if (!LEGACY_NAMES.contains(name) && !isProName(name)) {
          badRequest(rc);
          return;
        }
      } else if (m instanceof Number n && !(m instanceof Double)) {
        long code = n.longValue();
        name = code >= 0 && code <= 12 ? LEGACY_NAMES.get((int) code) : "#pro";
      } else {
        badRequest(rc);
        return;
      }
      methods.add(name);
    }
    List<Future<JsonObject>> replies = new ArrayList<>();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < commands.size(); i++) {
      JsonObject c = (JsonObject) commands.get(i);
      String method = methods.get(i);
      chain = chain.compose(v -> {
        Future<JsonObject> r = legacyCommand(c, method);
        replies.add(r);
        return r.mapEmpty();
      });
    }
    chain.onComplete(ar -> {
      Buffer out = Buffer.buffer();
      for (int i = 0; i < replies.size(); i++) {
        if (i > 0) out.appendByte((byte) '\n');
        JsonObject reply = replies.get(i).result();
        try {
          out.appendBuffer(ApiJson.encode(reply));
        } catch (ApiJson.NotJsonException e) {
          JsonObject err = ApiExecutor.errorObject(new ApiException(ApiError.INTERNAL));
          if (reply.containsKey("id")) err = new JsonObject().put("id", reply.getValue("id")).mergeIn(err);
          out.appendBuffer(ApiJson.encode(err));
        }
      }
      rc.response().setStatusCode(200).putHeader("Content-Type", "application/json").end(out);
    });
  }

  private Future<JsonObject> legacyCommand(JsonObject c, String method) {
    JsonObject reply = new JsonObject();
    Object id = c.getValue("id");
    if (id instanceof Number n && n.longValue() != 0) reply.put("id", n.longValue());
    Object params = c.getValue("params");
    Future<JsonObject> result;
    if (!executor.knows(method)) {
      result = Future.failedFuture(new ApiException(ApiError.NOT_FOUND));
    } else if (params == null && !method.equals("info") || params != null && !(params instanceof JsonObject)) {
      result = Future.failedFuture(new ApiException(ApiError.BAD_REQUEST));
    } else {
      result = executor.execute(method, params == null ? new JsonObject() : (JsonObject) params);
    }
    return result.map(res -> reply.put("result", res)).otherwise(err -> reply.mergeIn(ApiExecutor.errorObject(err)));
  }

  private static boolean isProName(String name) {
    return List.of("connections", "update_user_status", "get_user_status", "delete_user_status", "block_user",
        "unblock_user", "revoke_token", "invalidate_user_tokens").contains(name);
  }

  private static void badRequest(RoutingContext rc) {
    rc.response().setStatusCode(400).putHeader("Content-Type", "text/plain; charset=utf-8").end("Bad Request");
  }

  /**
   * Writes a JSON answer. A result holding a binary payload (published with b64data) cannot be
   * written as JSON: the answer is then error 100, as Centrifugo fails such a response.
   */
  private static void json(RoutingContext rc, int status, JsonObject body) {
    io.vertx.core.buffer.Buffer encoded;
    try {
      encoded = ApiJson.encode(body);
    } catch (ApiJson.NotJsonException e) {
      encoded = ApiJson.encode(ApiExecutor.errorObject(new ApiException(ApiError.INTERNAL)));
    }
    rc.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(encoded);
  }
}
