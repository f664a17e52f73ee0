package dev.gyre.auth;

import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The verified claims of a connection JWT. {@code expireAt} is unix seconds, 0 when the
 * connection never expires. {@code info} is raw JSON or binary (from b64info), or null.
 */
public record ConnectToken(String user, long expireAt, byte[] info, List<ServerSideSub> subs, JsonObject meta,
                           Capabilities caps) {}
