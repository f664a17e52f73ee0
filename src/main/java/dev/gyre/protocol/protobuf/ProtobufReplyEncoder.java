package dev.gyre.protocol.protobuf;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.MessageLite;
import com.google.protobuf.UnsafeByteOperations;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Result;
import dev.gyre.protocol.pb.ConnectResult;
import dev.gyre.protocol.pb.Error;
import dev.gyre.protocol.pb.HistoryResult;
import dev.gyre.protocol.pb.Join;
import dev.gyre.protocol.pb.Leave;
import dev.gyre.protocol.pb.Message;
import dev.gyre.protocol.pb.PresenceResult;
import dev.gyre.protocol.pb.PresenceStatsResult;
import dev.gyre.protocol.pb.PublishResult;
import dev.gyre.protocol.pb.RPCResult;
import dev.gyre.protocol.pb.RefreshResult;
import dev.gyre.protocol.pb.Reply;
import dev.gyre.protocol.pb.SubRefreshResult;
import dev.gyre.protocol.pb.SubscribeResult;
import dev.gyre.protocol.pb.Unsubscribe;
import dev.gyre.protocol.pb.UnsubscribeResult;
import io.vertx.core.buffer.Buffer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * Encodes replies and pushes as length-delimited Protobuf {@code Reply} messages
 * (spec/client-protocol.md §1.2, §1.3, §2.2): each encoded reply is its varint length followed
 * by its bytes, so replies are joined into a frame by concatenation. Payloads travel as the raw
 * bytes they were published with, whatever they are.
 */
public final class ProtobufReplyEncoder {
  /** The server ping: an empty {@code Reply}, the single byte 0x00 once delimited. */
  public static final Buffer PING = Buffer.buffer(new byte[] {0});

  private ProtobufReplyEncoder() {}

  public static Buffer error(long id, ErrorCode error) {
    return delimited(Reply.newBuilder().setId((int) id).setError(Error.newBuilder().setCode(error.code())
        .setMessage(error.message()).setTemporary(error.temporary())).build());
  }

  public static Buffer reply(long id, Result result) {
    Reply.Builder r = Reply.newBuilder().setId((int) id);
    if (result instanceof Result.Connect c) {
      r.setConnect(connect(c));
    } else if (result instanceof Result.Subscribe s) {
      r.setSubscribe(subscribe(s));
    } else if (result instanceof Result.Unsubscribe) {
      r.setUnsubscribe(UnsubscribeResult.getDefaultInstance());
    } else if (result instanceof Result.Publish) {
      r.setPublish(PublishResult.getDefaultInstance());
    } else if (result instanceof Result.Presence p) {
      PresenceResult.Builder b = PresenceResult.newBuilder();
      p.presence().forEach((client, info) -> b.putPresence(client, clientInfo(info)));
      r.setPresence(b);
    } else if (result instanceof Result.PresenceStats p) {
      r.setPresenceStats(PresenceStatsResult.newBuilder().setNumClients(p.numClients()).setNumUsers(p.numUsers()));
    } else if (result instanceof Result.History h) {
      HistoryResult.Builder b = HistoryResult.newBuilder().setEpoch(str(h.epoch())).setOffset(h.offset());
      for (Publication p : h.publications()) b.addPublications(publication(p));
      r.setHistory(b);
    } else if (result instanceof Result.Rpc rpc) {
      r.setRpc(RPCResult.newBuilder().setData(bytes(rpc.data())));
    } else if (result instanceof Result.Refresh f) {
      r.setRefresh(RefreshResult.newBuilder().setClient(str(f.client())).setVersion(str(f.version()))
          .setExpires(f.expires()).setTtl((int) f.ttl()));
    } else if (result instanceof Result.SubRefresh f) {
      r.setSubRefresh(SubRefreshResult.newBuilder().setExpires(f.expires()).setTtl((int) f.ttl()));
    } else {
      throw new IllegalArgumentException("unknown result " + result);
    }
    return delimited(r.build());
  }

  /** A push wrapped in a reply, as bidirectional transports carry it. */
  public static Buffer push(Push push) {
    return delimited(Reply.newBuilder().setPush(pushMessage(push)).build());
  }

  static dev.gyre.protocol.pb.Push pushMessage(Push push) {
    dev.gyre.protocol.pb.Push.Builder b = dev.gyre.protocol.pb.Push.newBuilder();
    if (push instanceof Push.Pub p) {
      b.setChannel(p.channel()).setPub(publication(p.publication()));
    } else if (push instanceof Push.Join p) {
      b.setChannel(p.channel()).setJoin(Join.newBuilder().setInfo(clientInfo(p.info())));
    } else if (push instanceof Push.Leave p) {
      b.setChannel(p.channel()).setLeave(Leave.newBuilder().setInfo(clientInfo(p.info())));
    } else if (push instanceof Push.Unsubscribe p) {
      b.setChannel(p.channel()).setUnsubscribe(Unsubscribe.newBuilder().setCode(p.code()).setReason(str(p.reason())));
    } else if (push instanceof Push.Message p) {
      b.setMessage(Message.newBuilder().setData(bytes(p.data())));
    } else if (push instanceof Push.Subscribe p) {
      b.setChannel(p.channel()).setSubscribe(dev.gyre.protocol.pb.Subscribe.newBuilder()
          .setRecoverable(p.recoverable()).setEpoch(str(p.epoch())).setOffset(p.offset())
          .setPositioned(p.positioned()).setData(bytes(p.data())));
    } else if (push instanceof Push.Disconnect p) {
      b.setDisconnect(dev.gyre.protocol.pb.Disconnect.newBuilder().setCode(p.code()).setReason(str(p.reason())));
    } else {
      throw new IllegalArgumentException("unknown push " + push);
    }
    return b.build();
  }

  private static ConnectResult connect(Result.Connect c) {
    ConnectResult.Builder b = ConnectResult.newBuilder().setClient(str(c.client())).setVersion(str(c.version()))
        .setExpires(c.expires()).setTtl((int) c.ttl()).setData(bytes(c.data()));
    if (c.subs() != null) c.subs().forEach((channel, s) -> b.putSubs(channel, subscribe(s)));
    return b.setPing(c.ping()).setPong(c.pong()).setSession(str(c.session())).setNode(str(c.node()))
        .setTime(c.time()).build();
  }

  static SubscribeResult subscribe(Result.Subscribe s) {
    SubscribeResult.Builder b = SubscribeResult.newBuilder().setExpires(s.expires()).setTtl((int) s.ttl())
        .setRecoverable(s.recoverable()).setEpoch(str(s.epoch()));
    List<Publication> pubs = s.publications();
    if (pubs != null) for (Publication p : pubs) b.addPublications(publication(p));
    return b.setRecovered(s.recovered()).setOffset(s.offset()).setPositioned(s.positioned())
        .setData(bytes(s.data())).setWasRecovering(s.wasRecovering()).build();
  }

  static dev.gyre.protocol.pb.Publication publication(Publication p) {
    dev.gyre.protocol.pb.Publication.Builder b = dev.gyre.protocol.pb.Publication.newBuilder().setData(bytes(p.data()));
    if (p.info() != null) b.setInfo(clientInfo(p.info()));
    b.setOffset(p.offset());
    for (Map.Entry<String, String> t : p.tags().entrySet()) b.putTags(t.getKey(), t.getValue());
    return b.build();
  }

  static dev.gyre.protocol.pb.ClientInfo clientInfo(ClientInfo i) {
    return dev.gyre.protocol.pb.ClientInfo.newBuilder().setUser(str(i.user())).setClient(str(i.client()))
        .setConnInfo(bytes(i.connInfo())).setChanInfo(bytes(i.chanInfo())).build();
  }

  /** Wraps without copying: payload arrays are never modified once they reach a record. */
  static ByteString bytes(byte[] b) {
    return b == null || b.length == 0 ? ByteString.EMPTY : UnsafeByteOperations.unsafeWrap(b);
  }

  static String str(String s) {
    return s == null ? "" : s;
  }

  /** The message prefixed by its length as a varint (protobuf's "delimited" form). */
  static Buffer delimited(MessageLite m) {
    int size = m.getSerializedSize();
    byte[] out = new byte[CodedOutputStream.computeUInt32SizeNoTag(size) + size];
    CodedOutputStream cos = CodedOutputStream.newInstance(out);
    try {
      cos.writeUInt32NoTag(size);
      m.writeTo(cos);
      cos.checkNoSpaceLeft();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // cannot happen when writing into an exactly sized array
    }
    return Buffer.buffer(out);
  }
}
