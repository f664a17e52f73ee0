package dev.gyre.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client written against the bytes of RFC 6455, for tests that need what a real
 * client library refuses to do: pipelined frames, fragments, unmasked or oversized frames, a
 * close frame left unanswered. Every read is bounded by the socket timeout.
 */
public final class RawWebSocket implements AutoCloseable {
  public static final int TEXT = 1, BINARY = 2, CLOSE = 8, PING = 9, PONG = 10, CONTINUATION = 0;

  /** A frame as the server sent it. */
  public record Frame(boolean fin, int opcode, byte[] payload) {
    public String text() { return new String(payload, StandardCharsets.UTF_8); }

    /** The status code of a close frame, or -1 when it carries none. */
    public int closeCode() { return payload.length < 2 ? -1 : ((payload[0] & 0xff) << 8) | (payload[1] & 0xff); }

    public String closeReason() { return new String(payload, 2, Math.max(0, payload.length - 2), StandardCharsets.UTF_8); }
  }

  /** The status line and headers of the server's answer to the upgrade request. */
  public record Response(int status, Map<String, String> headers) {}

  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  private RawWebSocket(Socket socket) throws IOException {
    this.socket = socket;
    this.in = new DataInputStream(socket.getInputStream());
    this.out = socket.getOutputStream();
  }

  public static RawWebSocket open(int port) throws IOException {
    return open(port, 0);
  }

  /** With a receive buffer of that many bytes (0: the system's), set before connecting. */
  public static RawWebSocket open(int port, int receiveBuffer) throws IOException {
    Socket s = new Socket();
    if (receiveBuffer > 0) s.setReceiveBufferSize(receiveBuffer);
    s.connect(new java.net.InetSocketAddress("127.0.0.1", port), (int) WsClient.WAIT_MS);
    s.setSoTimeout((int) WsClient.WAIT_MS);
    s.setTcpNoDelay(true);
    return new RawWebSocket(s);
  }

  /** A valid version-13 upgrade request for the path, with extra header lines (each ending in CRLF). */
  public static String upgradeRequest(String path, String extraHeaders) {
    byte[] key = new byte[16];
    ThreadLocalRandom.current().nextBytes(key);
    return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(key) + "\r\nSec-WebSocket-Version: 13\r\n"
        + extraHeaders + "\r\n";
  }

  /** Writes raw bytes (a request, frames, or both in one write). */
  public RawWebSocket write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  public RawWebSocket write(String ascii) throws IOException {
    return write(ascii.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads the HTTP response head (status line and headers, lower-cased names). */
  public Response readResponse() throws IOException {
    String status = readLine();
    Map<String, String> headers = new LinkedHashMap<>();
    for (String line = readLine(); !line.isEmpty(); line = readLine()) {
      int colon = line.indexOf(':');
      headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
    }
    return new Response(Integer.parseInt(status.split(" ")[1]), headers);
  }

  private String readLine() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0) throw new EOFException("connection closed in the HTTP response");
      if (b != '\r') line.write(b);
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  /** One client frame: masked unless told otherwise, as RFC 6455 requires of clients. */
  public static byte[] frame(boolean fin, int opcode, byte[] payload, boolean masked) {
    ByteArrayOutputStream f = new ByteArrayOutputStream();
    f.write((fin ? 0x80 : 0) | opcode);
    int maskBit = masked ? 0x80 : 0;
    if (payload.length < 126) {
      f.write(maskBit | payload.length);
    } else if (payload.length < 65536) {
      f.write(maskBit | 126);
      f.write(payload.length >>> 8);
      f.write(payload.length & 0xff);
    } else {
      f.write(maskBit | 127);
      long len = payload.length;
      for (int shift = 56; shift >= 0; shift -= 8) f.write((int) (len >>> shift) & 0xff);
    }
    if (!masked) {
      f.writeBytes(payload);
      return f.toByteArray();
    }
    byte[] mask = new byte[4];
    ThreadLocalRandom.current().nextBytes(mask);
    f.writeBytes(mask);
    for (int i = 0; i < payload.length; i++) f.write(payload[i] ^ mask[i & 3]);
    return f.toByteArray();
  }

  public static byte[] text(String s) {
    return frame(true, TEXT, s.getBytes(StandardCharsets.UTF_8), true);
  }

  /** A masked close frame with a status code. */
  public static byte[] close(int code) {
    return frame(true, CLOSE, new byte[] {(byte) (code >>> 8), (byte) code}, true);
  }

  /** Reads the next server frame; fails on a timeout or when the server closed the socket. */
  public Frame readFrame() throws IOException {
    int b0 = in.readUnsignedByte();
    int b1 = in.readUnsignedByte();
    if ((b1 & 0x80) != 0) throw new IOException("the server masked a frame");
    long len = b1 & 0x7f;
    if (len == 126) len = in.readUnsignedShort();
    else if (len == 127) len = in.readLong();
    byte[] payload = new byte[(int) len];
    in.readFully(payload);
    return new Frame((b0 & 0x80) != 0, b0 & 0x0f, payload);
  }

  /** Reads frames until one with the opcode; fails on timeout. */
  public Frame readUntil(int opcode) throws IOException {
    for (;;) {
      Frame f = readFrame();
      if (f.opcode() == opcode) return f;
    }
  }

  /**
   * Whether the server closed the TCP connection within the socket timeout (frames it sends
   * first are read and dropped).
   */
  public boolean awaitEof() throws IOException {
    InputStream raw = socket.getInputStream();
    byte[] sink = new byte[8192];
    try {
      while (raw.read(sink) >= 0) {
        // Drain until the end of the stream.
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException reset) {
      return true;
    }
  }

  public void timeout(int millis) throws IOException {
    socket.setSoTimeout(millis);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
