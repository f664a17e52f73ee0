package dev.gyre.protocol.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.StreamPosition;
import dev.gyre.protocol.pb.ConnectRequest;
import dev.gyre.protocol.pb.HistoryRequest;
import dev.gyre.protocol.pb.SubscribeRequest;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a Protobuf command frame: one or more {@code Command} messages, each prefixed by its
 * length as an unsigned varint (spec/client-protocol.md §1.2). A length is checked against the
 * bytes left in the frame and against the message size limit before anything is allocated for
 * it. Anything malformed, and an empty frame, raises a {@link DisconnectException} with 3501.
 * The mapping to records follows the JSON decoder: the same request precedence, id-0 commands
 * other than {@code send} are pongs, an id with no known request is {@link Request.Unknown}.
 */
public final class ProtobufCommandDecoder {
  /** A uint32 length takes at most 5 varint bytes. */
  private static final int MAX_VARINT_BYTES = 5;

  private final int maxMessageSize;

  /** @param maxMessageSize the largest accepted length of one command, in bytes */
  public ProtobufCommandDecoder(int maxMessageSize) {
    if (maxMessageSize <= 0) throw new IllegalArgumentException("maxMessageSize must be positive");
    this.maxMessageSize = maxMessageSize;
  }

  public List<Command> decodeFrame(byte[] frame) {
    if (frame.length == 0) throw bad();
    List<Command> commands = new ArrayList<>(2);
    int pos = 0;
    while (pos < frame.length) {
      long size = 0;
      int shift = 0;
      while (true) {
        if (pos >= frame.length || shift >= 7 * MAX_VARINT_BYTES) throw bad();
        byte b = frame[pos++];
        size |= (long) (b & 0x7F) << shift;
        shift += 7;
        if ((b & 0x80) == 0) break;
      }
      if (size > frame.length - pos || size > maxMessageSize) throw bad();
      commands.add(decodeCommand(frame, pos, (int) size));
      pos += (int) size;
    }
    return commands;
  }

  /** Decodes one {@code Command} message occupying {@code frame[offset, offset+length)}. */
  public static Command decodeCommand(byte[] frame, int offset, int length) {
    dev.gyre.protocol.pb.Command c;
    try {
      c = dev.gyre.protocol.pb.Command.parser().parseFrom(frame, offset, length);
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      throw bad();
    }
    long id = Integer.toUnsignedLong(c.getId());
    Request request = request(c);
    if (request instanceof Request.Send) return new Command(id, request);
    if (id == 0) return new Command(0, new Request.Pong());
    return new Command(id, request == null ? new Request.Unknown() : request);
  }

  /**
   * Decodes a bare {@code ConnectRequest}, as unidirectional clients send it (spec/client-protocol.md
   * §1.7); the unidirectional gRPC transport's request has the same field numbers.
   *
   * @throws DisconnectException with 3501 when it is malformed
   */
  public static Request.Connect decodeConnectRequest(byte[] bytes) {
    try {
      return (Request.Connect) connect(ConnectRequest.parseFrom(bytes));
    } catch (InvalidProtocolBufferException | RuntimeException e) {
      if (e instanceof DisconnectException d) throw d;
      throw bad();
    }
  }

  /** The first request present, in the order of spec §2.1; null when none is. */
  private static Request request(dev.gyre.protocol.pb.Command c) {
    if (c.hasConnect()) return connect(c.getConnect());
    if (c.hasSubscribe()) return subscribe(c.getSubscribe().getChannel(), c.getSubscribe());
    if (c.hasUnsubscribe()) return new Request.Unsubscribe(c.getUnsubscribe().getChannel());
    if (c.hasPublish()) return new Request.Publish(c.getPublish().getChannel(), bytes(c.getPublish().getData()));
    if (c.hasPresence()) return new Request.Presence(c.getPresence().getChannel());
    if (c.hasPresenceStats()) return new Request.PresenceStats(c.getPresenceStats().getChannel());
    if (c.hasHistory()) return history(c.getHistory());
    if (c.hasRpc()) return new Request.Rpc(c.getRpc().getMethod(), bytes(c.getRpc().getData()));
    if (c.hasSend()) return new Request.Send(bytes(c.getSend().getData()));
    if (c.hasRefresh()) return new Request.Refresh(c.getRefresh().getToken());
    if (c.hasSubRefresh()) return new Request.SubRefresh(c.getSubRefresh().getChannel(), c.getSubRefresh().getToken());
    return null;
  }

  private static Request connect(ConnectRequest r) {
    Map<String, Request.Subscribe> subs = Map.of();
    if (r.getSubsCount() > 0) {
      Map<String, Request.Subscribe> m = new LinkedHashMap<>();
      r.getSubsMap().forEach((channel, s) -> m.put(channel, subscribe(channel, s)));
      subs = m;
    }
    return new Request.Connect(r.getToken(), bytes(r.getData()), subs, r.getName(), r.getVersion());
  }

  private static Request.Subscribe subscribe(String channel, SubscribeRequest s) {
    return new Request.Subscribe(channel, s.getToken(), s.getRecover(), s.getEpoch(), uint64(s.getOffset()),
        bytes(s.getData()), s.getPositioned(), s.getRecoverable(), s.getJoinLeave(), s.getDelta(), s.getFlag(),
        s.getType());
  }

  private static Request history(HistoryRequest h) {
    StreamPosition since = h.hasSince()
        ? new StreamPosition(uint64(h.getSince().getOffset()), h.getSince().getEpoch()) : null;
    return new Request.History(h.getChannel(), h.getLimit(), since, h.getReverse());
  }

  /** Empty bytes are indistinguishable from absent ones in proto3: both are "no payload". */
  private static byte[] bytes(ByteString b) {
    return b.isEmpty() ? null : b.toByteArray();
  }

  /** Offsets beyond 2^63-1 cannot be real positions; the JSON decoder rejects them too. */
  private static long uint64(long v) {
    if (v < 0) throw bad();
    return v;
  }

  private static DisconnectException bad() {
    return new DisconnectException(DisconnectCode.BAD_REQUEST);
  }
}
