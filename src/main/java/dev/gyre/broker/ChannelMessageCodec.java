package dev.gyre.broker;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;

/**
 * Event-bus codec for {@link ChannelMessage}: locally the same object is handed over (no copy);
 * across the cluster the already-encoded bytes are shipped as they are.
 */
public final class ChannelMessageCodec implements MessageCodec<ChannelMessage, ChannelMessage> {
  public static final String NAME = "gyre-channel-message";

  /** Registers the codec as the default for {@link ChannelMessage} once per Vert.x instance. */
  public static synchronized void register(Vertx vertx) {
    try {
      vertx.eventBus().registerDefaultCodec(ChannelMessage.class, new ChannelMessageCodec());
    } catch (IllegalStateException alreadyRegistered) {
      // registered by an earlier deployment on this Vert.x instance
    }
  }

  @Override
  public void encodeToWire(Buffer buffer, ChannelMessage m) {
    byte[] channel = m.channel().getBytes(StandardCharsets.UTF_8);
    buffer.appendByte((byte) m.kind().ordinal())
        .appendByte((byte) (m.jsonSafe() ? 1 : 0))
        .appendLong(m.offset())
        .appendInt(channel.length).appendBytes(channel)
        .appendInt(m.json().length()).appendBuffer(m.json());
  }

  @Override
  public ChannelMessage decodeFromWire(int pos, Buffer buffer) {
    ChannelMessage.Kind kind = ChannelMessage.Kind.values()[buffer.getByte(pos)];
    boolean jsonSafe = buffer.getByte(pos + 1) == 1;
    long offset = buffer.getLong(pos + 2);
    int chLen = buffer.getInt(pos + 10);
    String channel = buffer.getString(pos + 14, pos + 14 + chLen, "UTF-8");
    int jsonStart = pos + 14 + chLen;
    int jsonLen = buffer.getInt(jsonStart);
    Buffer json = buffer.getBuffer(jsonStart + 4, jsonStart + 4 + jsonLen);
    return new ChannelMessage(kind, channel, offset, json, jsonSafe);
  }

  @Override
  public ChannelMessage transform(ChannelMessage m) {
    return m;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
