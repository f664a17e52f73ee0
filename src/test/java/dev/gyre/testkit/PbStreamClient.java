package dev.gyre.testkit;

import com.google.protobuf.ByteString;
import dev.gyre.protocol.pb.Command;
import dev.gyre.protocol.pb.ConnectRequest;
import dev.gyre.protocol.pb.ConnectResult;
import dev.gyre.protocol.pb.EmulationRequest;
import dev.gyre.protocol.pb.Reply;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A raw Protobuf client of HTTP-streaming with the emulation endpoint (spec/client-protocol.md
 * §1.4, §1.6): posts a delimited command frame with {@code Content-Type: application/octet-stream},
 * reads the endless body as delimited {@code Reply} messages on its own thread, and posts later
 * commands as Protobuf {@code EmulationRequest}s. Every wait is bounded.
 */
public final class PbStreamClient implements AutoCloseable {
  public static final long WAIT_MS = WsClient.WAIT_MS;
  public static final Map<String, String> OCTETS = Map.of("Content-Type", "application/octet-stream");
  /** Marks the end of the stream (or an unreadable one) in the queue. */
  private static final Reply END = Reply.newBuilder().setId(-1).build();

  private final int port;
  private final HttpResponse<InputStream> response;
  private final LinkedBlockingQueue<Reply> replies = new LinkedBlockingQueue<>();
  private final CompletableFuture<Void> ended = new CompletableFuture<>();
  private volatile boolean malformed;
  private volatile boolean closedByClient;
  private String session = "";
  private String node = "";

  private PbStreamClient(int port, HttpResponse<InputStream> response) {
    this.port = port;
    this.response = response;
    Thread reader = new Thread(this::read, "pb-stream-client-" + port);
    reader.setDaemon(true);
    reader.start();
  }

  /** Opens {@code /connection/http_stream} with the commands as body; fails unless answered 200. */
  public static PbStreamClient open(int port, Command... commands) {
    return openRaw(port, delimited(commands));
  }

  /** Opens {@code /connection/http_stream} with these bytes as body; fails unless answered 200. */
  public static PbStreamClient openRaw(int port, byte[] body) {
    HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/connection/http_stream"))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .header("Content-Type", "application/octet-stream").build();
    try {
      HttpResponse<InputStream> r = StreamClient.http().sendAsync(req, HttpResponse.BodyHandlers.ofInputStream())
          .get(WAIT_MS, TimeUnit.MILLISECONDS);
      if (r.statusCode() != 200) throw new AssertionError("stream answered " + r.statusCode());
      return new PbStreamClient(port, r);
    } catch (AssertionError e) {
      throw e;
    } catch (Exception e) {
      throw new AssertionError("Protobuf http_stream request failed", e);
    }
  }

  public static Command connectCommand(String token) {
    return Command.newBuilder().setId(1).setConnect(ConnectRequest.newBuilder().setToken(token).setName("java")).build();
  }

  /** The commands, each prefixed by its varint length. */
  public static byte[] delimited(Command... commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (Command c : commands) c.writeDelimitedTo(out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  /** A one-off request with a binary body, on a new connection; returns status and body bytes. */
  public static HttpResponse<byte[]> request(int port, String method, String path, byte[] body,
                                             Map<String, String> headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofMillis(WAIT_MS)).method(method, HttpRequest.BodyPublishers.ofByteArray(body));
    headers.forEach(b::header);
    try {
      return StreamClient.http().send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    } catch (Exception e) {
      throw new AssertionError("request " + method + " " + path + " failed", e);
    }
  }

  private void read() {
    try (InputStream in = response.body()) {
      while (true) {
        Reply r = Reply.parseDelimitedFrom(in);
        if (r == null) break;
        replies.add(r);
      }
    } catch (IOException e) {
      // aborted by close(), or a malformed body: a test waiting for a reply then fails
      if (!closedByClient) malformed = true;
    } finally {
      replies.add(END);
      ended.complete(null);
    }
  }

  /** Whether the body was not a sequence of delimited replies. */
  public boolean sawMalformed() { return malformed; }

  public String header(String name) { return response.headers().firstValue(name).orElse(null); }

  public Reply next(Predicate<Reply> match) {
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (true) {
      long left = deadline - System.currentTimeMillis();
      if (left <= 0) throw new AssertionError("no matching reply within " + WAIT_MS + " ms");
      try {
        Reply r = replies.poll(left, TimeUnit.MILLISECONDS);
        if (r == END) {
          replies.add(END);
          throw new AssertionError("stream ended before a matching reply");
        }
        if (r != null && match.test(r)) return r;
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }

  public Reply next() {
    return next(r -> true);
  }

  public Reply reply(int id) {
    return next(r -> r.getId() == id);
  }

  /** Reads the connect reply and remembers session and node for {@link #send}. */
  public ConnectResult connectReply() {
    Reply r = reply(1);
    if (!r.hasConnect()) throw new AssertionError("not a connect reply: " + r);
    session = r.getConnect().getSession();
    node = r.getConnect().getNode();
    return r.getConnect();
  }

  public Reply push(String channel) {
    return next(r -> r.hasPush() && r.getPush().getChannel().equals(channel));
  }

  /** Posts the commands as a Protobuf emulation request; returns the status. */
  public int send(Command... commands) {
    return sendFrame(delimited(commands));
  }

  public int sendFrame(byte[] frame) {
    byte[] body = EmulationRequest.newBuilder().setSession(session).setNode(node)
        .setData(ByteString.copyFrom(frame)).build().toByteArray();
    return request(port, "POST", "/emulation", body, OCTETS).statusCode();
  }

  /** Sends one command through the emulation endpoint and waits for its reply on the stream. */
  public Reply call(Command command) {
    int status = send(command);
    if (status != 204) throw new AssertionError("emulation answered " + status);
    return reply(command.getId());
  }

  public void awaitEnd() {
    try {
      ended.get(WAIT_MS, TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      throw new AssertionError("stream not ended within " + WAIT_MS + " ms", e);
    }
  }

  public String session() { return session; }

  public String node() { return node; }

  @Override
  public void close() {
    closedByClient = true;
    try {
      response.body().close();
    } catch (IOException ignored) {
      // already closed
    }
  }
}
