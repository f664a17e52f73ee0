package dev.gyre.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * One push encoded once per wire format, to be written as the same bytes to every subscriber of
 * that format. A null format means the push cannot be carried in it (for JSON: a payload that
 * is not valid JSON); subscribers using that format are disconnected with 3506.
 */
public record EncodedPush(Buffer json, Buffer protobuf) {}
