package dev.gyre.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.StreamPosition;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a JSON command frame: one or more {@code Command} objects separated by {@code \n}
 * (spec/client-protocol.md §1.2). Anything malformed — bad JSON, wrong types, an empty frame —
 * raises a {@link DisconnectException} with 3501. Unknown keys are ignored. Payload fields keep
 * the raw JSON text the client sent.
 */
public final class JsonCommandDecoder {
  private static final long MAX_UINT32 = 0xFFFFFFFFL;

  private JsonCommandDecoder() {}

  public static List<Command> decodeFrame(byte[] frame) {
    List<Command> commands = new ArrayList<>(2);
    int start = 0;
    int len = frame.length;
    // A single trailing newline is tolerated.
    if (len > 0 && frame[len - 1] == '\n') len--;
    while (start <= len) {
      int nl = indexOf(frame, (byte) '\n', start, len);
      int end = nl < 0 ? len : nl;
      if (end == start) throw bad();
      commands.add(decodeCommand(frame, start, end - start));
      if (nl < 0) break;
      start = nl + 1;
    }
    if (commands.isEmpty()) throw bad();
    return commands;
  }

  /** Decodes one command object occupying {@code frame[offset, offset+length)}. */
  public static Command decodeCommand(byte[] frame, int offset, int length) {
    try (JsonParser p = RawJson.FACTORY.createParser(frame, offset, length)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw bad();
      long id = 0;
      Request connect = null, subscribe = null, unsubscribe = null, publish = null, presence = null,
          presenceStats = null, history = null, rpc = null, send = null, refresh = null, subRefresh = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "id" -> id = uint32(p, v);
          case "connect" -> connect = connect(p, frame, offset);
          case "subscribe" -> subscribe = subscribe(p, frame, offset);
          case "unsubscribe" -> unsubscribe = object(p, v) ? new Request.Unsubscribe(channelOnly(p)) : null;
          case "publish" -> publish = publish(p, frame, offset);
          case "presence" -> presence = object(p, v) ? new Request.Presence(channelOnly(p)) : null;
          case "presence_stats" -> presenceStats = object(p, v) ? new Request.PresenceStats(channelOnly(p)) : null;
          case "history" -> history = history(p);
          case "rpc" -> rpc = rpc(p, frame, offset);
          case "send" -> send = send(p, frame, offset);
          case "refresh" -> refresh = refresh(p);
          case "sub_refresh" -> subRefresh = subRefresh(p);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) throw bad();
      Request request = firstNonNull(connect, subscribe, unsubscribe, publish, presence, presenceStats, history,
          rpc, send, refresh, subRefresh);
      if (request instanceof Request.Send) return new Command(id, request);
      if (id == 0) return new Command(0, new Request.Pong());
      return new Command(id, request == null ? new Request.Unknown() : request);
    } catch (IOException | RuntimeException e) {
      if (e instanceof DisconnectException d) throw d;
      throw bad();
    }
  }

  /**
   * Decodes a bare {@code ConnectRequest} object, the initial request of the unidirectional
   * transports (spec/client-protocol.md §1.7).
   *
   * @throws DisconnectException with 3501 when it is not a well-formed connect request object
   */
  public static Request.Connect decodeConnectRequest(byte[] body) {
    try (JsonParser p = RawJson.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw bad();
      Request.Connect connect = (Request.Connect) connect(p, body, 0);
      if (p.nextToken() != null) throw bad();
      return connect;
    } catch (IOException | RuntimeException e) {
      if (e instanceof DisconnectException d) throw d;
      throw bad();
    }
  }

  private static Request firstNonNull(Request... rs) {
    for (Request r : rs) if (r != null) return r;
    return null;
  }

  /** True when the value is an object to read; null values are treated as absent. */
  private static boolean object(JsonParser p, JsonToken v) {
    if (v == JsonToken.VALUE_NULL) return false;
    if (v != JsonToken.START_OBJECT) throw bad();
    return true;
  }

  private static String channelOnly(JsonParser p) throws IOException {
    String channel = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if (f.equals("channel")) channel = string(p, v);
      else p.skipChildren();
    }
    return channel;
  }

  private static Request connect(JsonParser p, byte[] src, int off) throws IOException {
    if (!object(p, p.currentToken())) return null;
    String token = "", name = "", version = "";
    byte[] data = null;
    Map<String, Request.Subscribe> subs = Map.of();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      switch (f) {
        case "token" -> token = string(p, v);
        case "data" -> data = raw(p, v, src, off);
        case "name" -> name = string(p, v);
        case "version" -> version = string(p, v);
        case "subs" -> {
          if (v == JsonToken.VALUE_NULL) break;
          if (v != JsonToken.START_OBJECT) throw bad();
          Map<String, Request.Subscribe> m = new LinkedHashMap<>();
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String ch = p.currentName();
            p.nextToken();
            Request.Subscribe s = (Request.Subscribe) subscribe(p, src, off);
            if (s != null) m.put(ch, new Request.Subscribe(ch, s.token(), s.recover(), s.epoch(), s.offset(), s.data(),
                s.positioned(), s.recoverable(), s.joinLeave(), s.delta(), s.flag(), s.type()));
          }
          subs = m;
        }
        default -> p.skipChildren();
      }
    }
    return new Request.Connect(token, data, subs, name, version);
  }

  private static Request subscribe(JsonParser p, byte[] src, int off) throws IOException {
    if (!object(p, p.currentToken())) return null;
    String channel = "", token = "", epoch = "", delta = "";
    boolean recover = false, positioned = false, recoverable = false, joinLeave = false;
    long offset = 0, flag = 0;
    int type = 0;
    byte[] data = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      switch (f) {
        case "channel" -> channel = string(p, v);
        case "token" -> token = string(p, v);
        case "recover" -> recover = bool(p, v);
        case "epoch" -> epoch = string(p, v);
        case "offset" -> offset = uint64(p, v);
        case "data" -> data = raw(p, v, src, off);
        case "positioned" -> positioned = bool(p, v);
        case "recoverable" -> recoverable = bool(p, v);
        case "join_leave" -> joinLeave = bool(p, v);
        case "delta" -> delta = string(p, v);
        case "flag" -> flag = int64(p, v);
        case "type" -> type = int32(p, v);
        default -> p.skipChildren();
      }
    }
    return new Request.Subscribe(channel, token, recover, epoch, offset, data, positioned, recoverable, joinLeave,
        delta, flag, type);
  }

  private static Request publish(JsonParser p, byte[] src, int off) throws IOException {
    if (!object(p, p.currentToken())) return null;
    String channel = "";
    byte[] data = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      switch (f) {
        case "channel" -> channel = string(p, v);
        case "data" -> data = raw(p, v, src, off);
        default -> p.skipChildren();
      }
    }
    return new Request.Publish(channel, data);
  }

  private static Request history(JsonParser p) throws IOException {
    if (!object(p, p.currentToken())) return null;
    String channel = "";
    int limit = 0;
    boolean reverse = false;
    StreamPosition since = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      switch (f) {
        case "channel" -> channel = string(p, v);
        case "limit" -> limit = int32(p, v);
        case "reverse" -> reverse = bool(p, v);
        case "since" -> {
          if (!object(p, v)) break;
          long offset = 0;
          String epoch = "";
          while (p.nextToken() == JsonToken.FIELD_NAME) {
            String sf = p.currentName();
            JsonToken sv = p.nextToken();
            switch (sf) {
              case "offset" -> offset = uint64(p, sv);
              case "epoch" -> epoch = string(p, sv);
              default -> p.skipChildren();
            }
          }
          since = new StreamPosition(offset, epoch);
        }
        default -> p.skipChildren();
      }
    }
    return new Request.History(channel, limit, since, reverse);
  }

  private static Request rpc(JsonParser p, byte[] src, int off) throws IOException {
    if (!object(p, p.currentToken())) return null;
    String method = "";
    byte[] data = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      switch (f) {
        case "method" -> method = string(p, v);
        case "data" -> data = raw(p, v, src, off);
        default -> p.skipChildren();
      }
    }
    return new Request.Rpc(method, data);
  }

  private static Request send(JsonParser p, byte[] src, int off) throws IOException {
    if (!object(p, p.currentToken())) return null;
    byte[] data = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if (f.equals("data")) data = raw(p, v, src, off);
      else p.skipChildren();
    }
    return new Request.Send(data);
  }

  private static Request refresh(JsonParser p) throws IOException {
    if (!object(p, p.currentToken())) return null;
    String token = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      if (f.equals("token")) token = string(p, v);
      else p.skipChildren();
    }
    return new Request.Refresh(token);
  }

  private static Request subRefresh(JsonParser p) throws IOException {
    if (!object(p, p.currentToken())) return null;
    String channel = "", token = "";
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String f = p.currentName();
      JsonToken v = p.nextToken();
      switch (f) {
        case "channel" -> channel = string(p, v);
        case "token" -> token = string(p, v);
        default -> p.skipChildren();
      }
    }
    return new Request.SubRefresh(channel, token);
  }

  private static byte[] raw(JsonParser p, JsonToken v, byte[] src, int off) throws IOException {
    if (v == JsonToken.VALUE_NULL) return null;
    return RawJson.capture(p, src, off);
  }

  private static String string(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NULL) return "";
    if (v != JsonToken.VALUE_STRING) throw bad();
    return p.getText();
  }

  private static boolean bool(JsonParser p, JsonToken v) {
    if (v == JsonToken.VALUE_NULL) return false;
    if (v == JsonToken.VALUE_TRUE) return true;
    if (v == JsonToken.VALUE_FALSE) return false;
    throw bad();
  }

  private static long int64(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NULL) return 0;
    if (v != JsonToken.VALUE_NUMBER_INT) throw bad();
    return p.getLongValue();
  }

  private static int int32(JsonParser p, JsonToken v) throws IOException {
    long n = int64(p, v);
    if (n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) throw bad();
    return (int) n;
  }

  private static long uint64(JsonParser p, JsonToken v) throws IOException {
    long n = int64(p, v);
    if (n < 0) throw bad();
    return n;
  }

  private static long uint32(JsonParser p, JsonToken v) throws IOException {
    long n = int64(p, v);
    if (n < 0 || n > MAX_UINT32) throw bad();
    return n;
  }

  private static int indexOf(byte[] a, byte b, int from, int to) {
    for (int i = from; i < to; i++) if (a[i] == b) return i;
    return -1;
  }

  private static DisconnectException bad() {
    return new DisconnectException(DisconnectCode.BAD_REQUEST);
  }
}
