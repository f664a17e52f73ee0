package dev.gyre.broker;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.Publication;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Event-bus codec for {@link ChannelMessage}: locally the same object is handed over (no copy);
 * across the cluster the already-encoded bytes are shipped as they are, with the publication
 * in a compact binary form.
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
  public void encodeToWire(Buffer b, ChannelMessage m) {
    b.appendByte((byte) m.kind().ordinal());
    string(b, m.channel());
    string(b, m.epoch());
    bytes(b, m.encoded().json() == null ? null : m.encoded().json().getBytes());
    bytes(b, m.encoded().protobuf() == null ? null : m.encoded().protobuf().getBytes());
    Publication p = m.publication();
    b.appendByte((byte) (p == null ? 0 : 1));
    if (p == null) return;
    b.appendLong(p.offset());
    bytes(b, p.data());
    b.appendByte((byte) (p.info() == null ? 0 : 1));
    if (p.info() != null) {
      string(b, p.info().user());
      string(b, p.info().client());
      bytes(b, p.info().connInfo());
      bytes(b, p.info().chanInfo());
    }
    b.appendInt(p.tags().size());
    p.tags().forEach((k, v) -> {
      string(b, k);
      string(b, v);
    });
  }

  @Override
  public ChannelMessage decodeFromWire(int pos, Buffer b) {
    Reader r = new Reader(b, pos);
    ChannelMessage.Kind kind = ChannelMessage.Kind.values()[r.b()];
    String channel = r.string();
    String epoch = r.string();
    byte[] json = r.bytes();
    byte[] protobuf = r.bytes();
    EncodedPush encoded = new EncodedPush(json == null ? null : Buffer.buffer(json),
        protobuf == null ? null : Buffer.buffer(protobuf));
    Publication publication = null;
    if (r.b() == 1) {
      long offset = r.b.getLong(r.pos);
      r.pos += 8;
      byte[] data = r.bytes();
      ClientInfo info = null;
      if (r.b() == 1) info = new ClientInfo(r.string(), r.string(), r.bytes(), r.bytes());
      int n = r.b.getInt(r.pos);
      r.pos += 4;
      Map<String, String> tags = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) tags.put(r.string(), r.string());
      publication = new Publication(data, info, offset, tags);
    }
    return new ChannelMessage(kind, channel, publication, epoch, encoded);
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

  private static void string(Buffer b, String s) {
    bytes(b, s == null ? null : s.getBytes(StandardCharsets.UTF_8));
  }

  private static void bytes(Buffer b, byte[] v) {
    if (v == null) {
      b.appendInt(-1);
    } else {
      b.appendInt(v.length).appendBytes(v);
    }
  }

  private static final class Reader {
    final Buffer b;
    int pos;

    Reader(Buffer b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    byte b() {
      return b.getByte(pos++);
    }

    byte[] bytes() {
      int len = b.getInt(pos);
      pos += 4;
      if (len < 0) return null;
      byte[] out = b.getBytes(pos, pos + len);
      pos += len;
      return out;
    }

    String string() {
      byte[] v = bytes();
      return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }
  }
}
