package dev.gyre.history.redis;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Publication;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bytes a publication is stored as in a Redis stream entry (field {@code d}). The offset is
 * not in them: it is the entry ID. Big-endian, length-prefixed:
 *
 * <pre>
 *   u8    format = 1
 *   bytes data
 *   u8    1 when client info follows, else 0
 *   [str user, str client, bytes conn_info, bytes chan_info]
 *   i32   number of tags, then str key, str value for each
 * </pre>
 *
 * where {@code bytes} and {@code str} (UTF-8) are an i32 length and the bytes, length -1 = null.
 * Nothing Redis-specific and no JSON: payloads are arbitrary bytes (Protobuf clients), kept as is.
 */
public final class PublicationCodec {
  static final byte FORMAT = 1;

  private PublicationCodec() {}

  public static byte[] encode(Publication p) {
    ClientInfo i = p.info();
    byte[] user = utf8(i == null ? null : i.user());
    byte[] client = utf8(i == null ? null : i.client());
    int size = 1 + len(p.data()) + 1 + 4;
    if (i != null) size += len(user) + len(client) + len(i.connInfo()) + len(i.chanInfo());
    byte[][] tags = new byte[p.tags().size() * 2][];
    int k = 0;
    for (Map.Entry<String, String> t : p.tags().entrySet()) {
      tags[k++] = utf8(t.getKey());
      tags[k++] = utf8(t.getValue());
    }
    for (byte[] t : tags) size += len(t);
    ByteBuffer b = ByteBuffer.allocate(size);
    b.put(FORMAT);
    put(b, p.data());
    b.put((byte) (i == null ? 0 : 1));
    if (i != null) {
      put(b, user);
      put(b, client);
      put(b, i.connInfo());
      put(b, i.chanInfo());
    }
    b.putInt(p.tags().size());
    for (byte[] t : tags) put(b, t);
    return b.array();
  }

  /** Decodes what {@link #encode} wrote, with the offset taken from the entry ID. */
  public static Publication decode(byte[] bytes, long offset) {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    if (b.get() != FORMAT) throw new IllegalArgumentException("unknown stored publication format " + bytes[0]);
    byte[] data = get(b);
    ClientInfo info = null;
    if (b.get() == 1) info = new ClientInfo(str(get(b)), str(get(b)), get(b), get(b));
    int n = b.getInt();
    Map<String, String> tags = new LinkedHashMap<>();
    for (int t = 0; t < n; t++) tags.put(str(get(b)), str(get(b)));
    return new Publication(data == null ? new byte[0] : data, info, offset, tags);
  }

  private static int len(byte[] v) {
    return 4 + (v == null ? 0 : v.length);
  }

  private static void put(ByteBuffer b, byte[] v) {
    b.putInt(v == null ? -1 : v.length);
    if (v != null) b.put(v);
  }

  private static byte[] get(ByteBuffer b) {
    int n = b.getInt();
    if (n < 0) return null;
    if (n > b.remaining()) throw new IllegalArgumentException("truncated stored publication");
    byte[] v = new byte[n];
    b.get(v);
    return v;
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
  }

  private static String str(byte[] v) {
    return v == null ? null : new String(v, StandardCharsets.UTF_8);
  }
}
