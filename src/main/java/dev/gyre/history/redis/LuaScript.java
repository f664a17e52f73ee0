package dev.gyre.history.redis;

import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * A Lua script from this package's resources, run by its SHA1 ({@code EVALSHA}); when Redis does
 * not know it yet (a fresh or restarted server answers {@code NOSCRIPT}), the same call is sent
 * once more as {@code EVAL} with the source, which also caches it for the next EVALSHA.
 */
final class LuaScript {
  private final String source;
  private final String sha;

  private LuaScript(String source) {
    this.source = source;
    this.sha = sha1(source);
  }

  static LuaScript load(String resource) {
    try (InputStream in = LuaScript.class.getResourceAsStream(resource)) {
      if (in == null) throw new IllegalStateException("missing script resource " + resource);
      return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalStateException("cannot read script resource " + resource, e);
    }
  }

  String sha() { return sha; }

  /** Runs the script with the keys and arguments (Strings, byte arrays or longs). */
  Future<Response> call(RedisConnector redis, List<String> keys, List<Object> args) {
    return redis.send(request(Command.EVALSHA, sha, keys, args)).recover(err -> {
      if (err instanceof Response reply && String.valueOf(reply).startsWith("NOSCRIPT")) {
        return redis.send(request(Command.EVAL, source, keys, args));
      }
      return Future.failedFuture(err);
    });
  }

  private static Request request(Command cmd, String script, List<String> keys, List<Object> args) {
    Request r = Request.cmd(cmd).arg(script).arg(keys.size());
    for (String k : keys) r.arg(k);
    for (Object a : args) {
      if (a instanceof byte[] b) r.arg(b);
      else if (a instanceof Long l) r.arg(l.longValue());
      else if (a instanceof Integer i) r.arg(i.longValue());
      else r.arg(String.valueOf(a));
    }
    return r;
  }

  private static String sha1(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
