package dev.gyre.transport;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.ext.web.RoutingContext;

import java.util.Set;
import java.util.stream.Collectors;

/**
 * The checks in front of every HTTP connection and emulation endpoint (spec/client-protocol.md
 * §1.1, §1.4–1.7): an unsupported method → 405; an Origin that {@code client.allowed_origins}
 * refuses → 403; an allowed Origin gets CORS response headers; OPTIONS is a CORS preflight → 204.
 */
final class HttpGuard {
  static final String PREFLIGHT_MAX_AGE = "300";

  private final OriginCheck origins;

  HttpGuard(OriginCheck origins) {
    this.origins = origins;
  }

  /** A route handler that lets a request through to the next handler only past these checks. */
  Handler<RoutingContext> allow(Set<HttpMethod> methods) {
    String allowMethods = methods.stream().map(HttpMethod::name).collect(Collectors.joining(", ")) + ", OPTIONS";
    return rc -> {
      HttpServerRequest req = rc.request();
      HttpServerResponse resp = rc.response();
      boolean preflight = req.method() == HttpMethod.OPTIONS;
      if (!preflight && !methods.contains(req.method())) {
        resp.setStatusCode(405).putHeader(HttpHeaders.ALLOW, allowMethods).end();
        return;
      }
      String origin = req.getHeader(HttpHeaders.ORIGIN);
      if (!origins.allowed(origin)) {
        resp.setStatusCode(403).end();
        return;
      }
      if (origin != null && !origin.isEmpty()) {
        resp.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_ORIGIN, origin)
            .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_CREDENTIALS, "true");
        String asked = req.getHeader(HttpHeaders.ACCESS_CONTROL_REQUEST_HEADERS);
        if (asked != null) resp.putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_HEADERS, asked);
      }
      if (preflight) {
        resp.setStatusCode(204).putHeader(HttpHeaders.ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE)
            .putHeader(HttpHeaders.ACCESS_CONTROL_ALLOW_METHODS, allowMethods).end();
        return;
      }
      rc.next();
    };
  }

  /** The headers of an endless streamed response: nothing may cache or buffer it. */
  static void streamHeaders(HttpServerRequest req, HttpServerResponse resp) {
    resp.setStatusCode(200)
        .putHeader(HttpHeaders.CACHE_CONTROL, "private, no-cache, no-store, must-revalidate, max-age=0")
        .putHeader("Pragma", "no-cache")
        .putHeader("Expire", "0")
        .putHeader("X-Accel-Buffering", "no");
    if (req.version() != HttpVersion.HTTP_2) {
      resp.putHeader(HttpHeaders.CONNECTION, "keep-alive").setChunked(true);
    }
  }
}
