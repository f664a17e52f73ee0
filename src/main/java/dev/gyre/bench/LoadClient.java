package dev.gyre.bench;

import com.google.protobuf.CodedInputStream;
import dev.gyre.protocol.pb.Command;
import dev.gyre.protocol.pb.ConnectRequest;
import dev.gyre.protocol.pb.Reply;
import dev.gyre.protocol.pb.SubscribeRequest;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.WebSocket;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One load-generating connection speaking the Centrifugo client protocol (JSON or Protobuf) —
 * or, against the ceiling server, nothing at all ("raw": every frame is a payload), or Socket.IO
 * 4 over WebSocket (for the comparison; bench/socketio/server.js). It connects, subscribes,
 * answers pings, and reports each publication's sequence number and send time.
 */
final class LoadClient {
  /** Receives each publication: the client's index, the payload's sequence and send time (ns). */
  interface Listener {
    void publication(int client, long seq, long sentNanos);
  }

  private final int index;
  private final String format;
  private final Listener listener;
  private WebSocket ws;
  private List<String> socketIoRooms = List.of();

  private LoadClient(int index, String format, Listener listener) {
    this.index = index;
    this.format = format;
    this.listener = listener;
  }

  /** Connects and subscribes; completes once every subscribe reply is in. */
  static Future<LoadClient> open(WebSocketClient client, URI url, String format, String token, List<String> channels,
                                 int index, Listener listener) {
    LoadClient c = new LoadClient(index, format, listener);
    WebSocketConnectOptions o = new WebSocketConnectOptions().setHost(url.getHost()).setPort(url.getPort())
        .setURI(url.getRawPath() + (url.getRawQuery() == null ? "" : "?" + url.getRawQuery()))
        .setAllowOriginHeader(false);
    if (format.equals("protobuf")) o.addSubProtocol("centrifuge-protobuf");
    Promise<LoadClient> ready = Promise.promise();
    int[] pending = {format.equals("raw") ? 0 : format.equals("socketio") ? channels.size() : 1 + channels.size()};
    return client.connect(o).compose(ws -> {
      c.ws = ws;
      ws.handler(frame -> {
        try {
          int replies = c.onFrame(frame);
          if (replies > 0 && (pending[0] -= replies) <= 0) ready.tryComplete(c);
        } catch (RuntimeException e) {
          ready.tryFail(e);
        }
      });
      ws.closeHandler(v -> ready.tryFail("closed with " + ws.closeStatusCode() + " " + ws.closeReason()));
      if (format.equals("raw")) return Future.succeededFuture(c);
      if (format.equals("socketio")) {
        c.socketIoRooms = channels;
        return ready.future();
      }
      c.sendCommands(token, channels);
      return ready.future();
    });
  }

  private void sendCommands(String token, List<String> channels) {
    if (format.equals("json")) {
      StringBuilder sb = new StringBuilder(new JsonObject().put("connect", new JsonObject().put("token", token)
          .put("name", "gyre-bench")).put("id", 1).encode());
      int id = 2;
      for (String ch : channels) {
        sb.append('\n').append(new JsonObject().put("subscribe", new JsonObject().put("channel", ch)).put("id", id++).encode());
      }
      ws.writeTextMessage(sb.toString());
    } else {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken(token).setName("gyre-bench"))
            .build().writeDelimitedTo(out);
        int id = 2;
        for (String ch : channels) {
          Command.newBuilder().setId(id++).setSubscribe(SubscribeRequest.newBuilder().setChannel(ch)).build()
              .writeDelimitedTo(out);
        }
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      ws.writeBinaryMessage(Buffer.buffer(out.toByteArray()));
    }
  }

  /** Handles a frame; returns how many command replies it held (errors fail the client). */
  private int onFrame(Buffer frame) {
    switch (format) {
      case "raw" -> {
        payload(frame.getBytes());
        return 0;
      }
      case "socketio" -> {
        return socketIo(frame.toString(StandardCharsets.UTF_8));
      }
      case "json" -> {
        int replies = 0;
        for (String line : frame.toString(StandardCharsets.UTF_8).split("\n")) {
          if (line.equals("{}")) {
            ws.writeTextMessage("{}");
          } else if (line.startsWith("{\"push\"")) {
            int d = line.indexOf("\"data\":");
            if (d >= 0) payload(line.substring(d).getBytes(StandardCharsets.UTF_8));
          } else if (line.contains("\"error\"")) {
            throw new IllegalStateException("server answered " + line);
          } else {
            replies++;
          }
        }
        return replies;
      }
      default -> {
        int replies = 0;
        try {
          CodedInputStream in = CodedInputStream.newInstance(frame.getBytes());
          while (!in.isAtEnd()) {
            int len = in.readRawVarint32();
            Reply r = Reply.parseFrom(in.readRawBytes(len));
            if (r.hasPush()) {
              if (r.getPush().hasPub()) payload(r.getPush().getPub().getData().toByteArray());
            } else if (r.hasError()) {
              throw new IllegalStateException("server answered error " + r.getError().getCode());
            } else if (r.getId() == 0) {
              ws.writeBinaryMessage(Buffer.buffer(new byte[] {0})); // pong
            } else {
              replies++;
            }
          }
        } catch (IOException e) {
          throw new IllegalStateException("malformed Protobuf frame", e);
        }
        return replies;
      }
    }
  }

  /**
   * Engine.IO 4 / Socket.IO 5 framing: "0{...}" open → send "40" (connect to "/"); "40{...}"
   * connected → join the rooms with acknowledged "sub" events (421["sub","room"], ...); "2" ping →
   * "3" pong; "43N[...]" an acknowledgement; "42[\"pub\",{...}]" a publication.
   */
  private int socketIo(String frame) {
    if (frame.startsWith("0")) {
      ws.writeTextMessage("40");
    } else if (frame.startsWith("40")) {
      int ack = 1;
      for (String room : socketIoRooms) {
        String quoted = "\"" + room.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        ws.writeTextMessage("42" + ack++ + "[\"sub\"," + quoted + "]");
      }
    } else if (frame.equals("2")) {
      ws.writeTextMessage("3");
    } else if (frame.startsWith("43")) {
      return 1;
    } else if (frame.startsWith("42")) {
      payload(frame.getBytes(StandardCharsets.UTF_8));
    }
    return 0;
  }

  /** Reads {"s":SEQ,"t":NANOS,...} fields of a bench payload without a JSON parser. */
  private void payload(byte[] b) {
    long seq = number(b, (byte) 's');
    long t = number(b, (byte) 't');
    if (seq >= 0 && t > 0) listener.publication(index, seq, t);
  }

  private static long number(byte[] b, byte key) {
    for (int i = 0; i + 4 < b.length; i++) {
      if (b[i] == '"' && b[i + 1] == key && b[i + 2] == '"' && b[i + 3] == ':') {
        long n = 0;
        int j = i + 4;
        boolean any = false;
        while (j < b.length && b[j] >= '0' && b[j] <= '9') {
          n = n * 10 + (b[j++] - '0');
          any = true;
        }
        return any ? n : -1;
      }
    }
    return -1;
  }

  Future<Void> close() {
    return ws == null ? Future.succeededFuture() : ws.close();
  }

}
