package dev.gyre.protocol.protobuf;

import com.google.protobuf.ByteString;
import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.PushEncoding;
import dev.gyre.protocol.Request;
import dev.gyre.protocol.Result;
import dev.gyre.protocol.StreamPosition;
import dev.gyre.protocol.pb.ConnectRequest;
import dev.gyre.protocol.pb.HistoryRequest;
import dev.gyre.protocol.pb.PingRequest;
import dev.gyre.protocol.pb.PresenceRequest;
import dev.gyre.protocol.pb.PresenceStatsRequest;
import dev.gyre.protocol.pb.PublishRequest;
import dev.gyre.protocol.pb.RPCRequest;
import dev.gyre.protocol.pb.RefreshRequest;
import dev.gyre.protocol.pb.Reply;
import dev.gyre.protocol.pb.SendRequest;
import dev.gyre.protocol.pb.SubRefreshRequest;
import dev.gyre.protocol.pb.SubscribeRequest;
import dev.gyre.protocol.pb.UnsubscribeRequest;
import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The Protobuf codec against spec/client-protocol.md §1.2, §2 and the §8.11 golden bytes. */
class ProtobufCodecTest {
  static final int LIMIT = 65536;
  final ProtobufCodec codec = new ProtobufCodec(LIMIT);

  static byte[] hex(String s) {
    return HexFormat.ofDelimiter(" ").parseHex(s.toLowerCase());
  }

  static byte[] frame(dev.gyre.protocol.pb.Command... commands) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      for (var c : commands) c.writeDelimitedTo(out);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out.toByteArray();
  }

  static dev.gyre.protocol.pb.Command.Builder cmd(int id) {
    return dev.gyre.protocol.pb.Command.newBuilder().setId(id);
  }

  /** Parses every delimited Reply in an encoded buffer. */
  static List<Reply> replies(Buffer b) {
    List<Reply> out = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(b.getBytes());
    try {
      Reply r;
      while ((r = Reply.parseDelimitedFrom(in)) != null) out.add(r);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
    return out;
  }

  static Reply one(Buffer b) {
    List<Reply> rs = replies(b);
    assertThat(rs).hasSize(1);
    return rs.get(0);
  }

  static void assertBadRequest(Runnable r) {
    assertThatThrownBy(r::run).isInstanceOfSatisfying(DisconnectException.class,
        e -> assertThat(e.disconnect().code()).isEqualTo(3501));
  }

  // ---- §8.11 golden bytes

  @Test
  void goldenConnectCommandDecodes() {
    List<Command> cmds = codec.decodeFrame(hex("08 08 01 22 04 22 02 6A 73"));
    assertThat(cmds).hasSize(1);
    assertThat(cmds.get(0).id()).isEqualTo(1);
    Request.Connect c = (Request.Connect) cmds.get(0).request();
    assertThat(c.name()).isEqualTo("js");
    assertThat(c.token()).isEmpty();
    assertThat(c.data()).isNull();
    assertThat(c.subs()).isEmpty();
    // and the message itself is what the generated schema produces
    assertThat(frame(cmd(1).setConnect(ConnectRequest.newBuilder().setName("js")).build()))
        .isEqualTo(hex("08 08 01 22 04 22 02 6A 73"));
  }

  @Test
  void goldenConnectReplyEncodes() {
    Buffer b = codec.reply(1, new Result.Connect("c", "v", false, 0, null, null, 25, true, null, null, 0));
    assertThat(b.getBytes()).isEqualTo(hex("0E 08 01 2A 0A 0A 01 63 12 01 76 38 19 40 01"));
  }

  @Test
  void pingIsTheSingleByteZeroAndPongDecodes() {
    assertThat(codec.ping().getBytes()).containsExactly(0);
    assertThat(codec.separator()).isEmpty();
    assertThat(codec.binary()).isTrue();
    assertThat(codec.name()).isEqualTo("protobuf");
    List<Command> cmds = codec.decodeFrame(new byte[] {0});
    assertThat(cmds).containsExactly(new Command(0, new Request.Pong()));
  }

  // ---- framing and limits

  @Test
  void emptyFrameIsBadRequest() {
    assertBadRequest(() -> codec.decodeFrame(new byte[0]));
  }

  @Test
  void severalCommandsInOneFrameKeepTheirOrder() {
    byte[] f = frame(cmd(1).setConnect(ConnectRequest.newBuilder().setName("js")).build(),
        cmd(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("a").setFlag(1)).build(),
        cmd(3).setSubscribe(SubscribeRequest.newBuilder().setChannel("b")).build());
    List<Command> cmds = codec.decodeFrame(f);
    assertThat(cmds).extracting(Command::id).containsExactly(1L, 2L, 3L);
    assertThat(((Request.Subscribe) cmds.get(1).request()).channel()).isEqualTo("a");
    assertThat(((Request.Subscribe) cmds.get(2).request()).channel()).isEqualTo("b");
  }

  @Test
  void lengthBeyondTheFrameOrTheLimitIsBadRequest() {
    assertBadRequest(() -> codec.decodeFrame(hex("09 08 01 22 04 22 02 6A 73"))); // one byte short
    assertBadRequest(() -> codec.decodeFrame(hex("08 08 01 22 04 22 02 6A 73 05 08"))); // second one truncated
    assertBadRequest(() -> codec.decodeFrame(hex("80"))); // varint never ends
    assertBadRequest(() -> codec.decodeFrame(hex("80 80 80 80 80 01"))); // more than 5 varint bytes
    ProtobufCodec small = new ProtobufCodec(4);
    byte[] ok = frame(cmd(1).build()); // 02 08 01
    assertThat(small.decodeFrame(ok)).hasSize(1);
    byte[] tooLong = frame(cmd(1).setPublish(PublishRequest.newBuilder().setChannel("c")).build());
    assertThat(codec.decodeFrame(tooLong)).hasSize(1);
    assertBadRequest(() -> small.decodeFrame(tooLong));
  }

  @Test
  void hugeDeclaredLengthIsRejectedWithoutAllocating() {
    // 0xFFFFFFFF declared, 3 bytes present; and nested: Command{id:1, publish:{data: 2^31-1 bytes declared}}
    byte[] outer = hex("FF FF FF FF 0F 08 01 3A");
    byte[] nested = hex("0A 08 01 3A 06 12 FF FF FF FF 07");
    com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    for (int i = 0; i < 200; i++) { // warm up so that class loading is not counted
      assertBadRequest(() -> codec.decodeFrame(outer));
      assertBadRequest(() -> codec.decodeFrame(nested));
    }
    long before = mx.getThreadAllocatedBytes(tid);
    for (int i = 0; i < 100; i++) {
      assertBadRequest(() -> codec.decodeFrame(outer));
      assertBadRequest(() -> codec.decodeFrame(nested));
    }
    long perAttempt = (mx.getThreadAllocatedBytes(tid) - before) / 200;
    assertThat(perAttempt).as("bytes allocated per rejected frame").isLessThan(16 * 1024);
  }

  @Test
  void malformedMessageAndInvalidUtf8AreBadRequest() {
    assertBadRequest(() -> codec.decodeFrame(hex("02 08 FF"))); // truncated varint inside
    assertBadRequest(() -> codec.decodeFrame(hex("02 0F 01"))); // wire type 7 does not exist
    // subscribe{channel: 0xFF} — proto3 strings must be UTF-8
    assertBadRequest(() -> codec.decodeFrame(hex("07 08 01 2A 03 0A 01 FF")));
  }

  // ---- request mapping, with the JSON decoder's semantics

  @Test
  void everyRequestTypeDecodes() {
    var subs = Map.of("personal:#42", SubscribeRequest.newBuilder().setRecover(true).setOffset(7).setEpoch("e").build());
    byte[] f = frame(
        cmd(1).setConnect(ConnectRequest.newBuilder().setToken("t").setData(ByteString.copyFromUtf8("{\"a\":1}"))
            .putAllSubs(subs).setName("js").setVersion("5.8.0")).build(),
        cmd(2).setSubscribe(SubscribeRequest.newBuilder().setChannel("chat:index").setToken("st").setRecover(true)
            .setEpoch("XK").setOffset(14).setData(ByteString.copyFrom(new byte[] {1, 2})).setPositioned(true)
            .setRecoverable(true).setJoinLeave(true).setDelta("fossil").setFlag(3).setType(0)).build(),
        cmd(3).setUnsubscribe(UnsubscribeRequest.newBuilder().setChannel("u")).build(),
        cmd(4).setPublish(PublishRequest.newBuilder().setChannel("p").setData(ByteString.copyFrom(new byte[] {0, -1}))).build(),
        cmd(5).setPresence(PresenceRequest.newBuilder().setChannel("pr")).build(),
        cmd(6).setPresenceStats(PresenceStatsRequest.newBuilder().setChannel("ps")).build(),
        cmd(7).setHistory(HistoryRequest.newBuilder().setChannel("h").setLimit(5).setReverse(true)
            .setSince(dev.gyre.protocol.pb.StreamPosition.newBuilder().setOffset(15).setEpoch("XK"))).build(),
        cmd(8).setRpc(RPCRequest.newBuilder().setMethod("m").setData(ByteString.copyFromUtf8("{}"))).build(),
        cmd(0).setSend(SendRequest.newBuilder().setData(ByteString.copyFromUtf8("\"hi\""))).build(),
        cmd(10).setRefresh(RefreshRequest.newBuilder().setToken("rt")).build(),
        cmd(11).setSubRefresh(SubRefreshRequest.newBuilder().setChannel("$s").setToken("srt")).build(),
        cmd(-1).setHistory(HistoryRequest.newBuilder().setChannel("h2")).build());
    List<Command> cmds = codec.decodeFrame(f);
    assertThat(cmds).hasSize(12);

    Request.Connect c = (Request.Connect) cmds.get(0).request();
    assertThat(c.token()).isEqualTo("t");
    assertThat(new String(c.data(), UTF_8)).isEqualTo("{\"a\":1}");
    assertThat(c.name()).isEqualTo("js");
    assertThat(c.version()).isEqualTo("5.8.0");
    Request.Subscribe sub = c.subs().get("personal:#42");
    assertThat(sub.channel()).isEqualTo("personal:#42");
    assertThat(sub.recover()).isTrue();
    assertThat(sub.offset()).isEqualTo(7);
    assertThat(sub.epoch()).isEqualTo("e");

    Request.Subscribe s = (Request.Subscribe) cmds.get(1).request();
    assertThat(s).usingRecursiveComparison().ignoringFields("data").isEqualTo(new Request.Subscribe("chat:index", "st",
        true, "XK", 14, null, true, true, true, "fossil", 3, 0));
    assertThat(s.data()).containsExactly(1, 2);
    assertThat(s.rejectUnrecovered()).isTrue();

    assertThat(cmds.get(2).request()).isEqualTo(new Request.Unsubscribe("u"));
    Request.Publish p = (Request.Publish) cmds.get(3).request();
    assertThat(p.channel()).isEqualTo("p");
    assertThat(p.data()).containsExactly(0, -1);
    assertThat(cmds.get(4).request()).isEqualTo(new Request.Presence("pr"));
    assertThat(cmds.get(5).request()).isEqualTo(new Request.PresenceStats("ps"));
    assertThat(cmds.get(6).request()).isEqualTo(new Request.History("h", 5, new StreamPosition(15, "XK"), true));
    Request.Rpc rpc = (Request.Rpc) cmds.get(7).request();
    assertThat(rpc.method()).isEqualTo("m");
    assertThat(new String(rpc.data(), UTF_8)).isEqualTo("{}");
    assertThat(cmds.get(8).id()).isZero();
    assertThat(new String(((Request.Send) cmds.get(8).request()).data(), UTF_8)).isEqualTo("\"hi\"");
    assertThat(cmds.get(9).request()).isEqualTo(new Request.Refresh("rt"));
    assertThat(cmds.get(10).request()).isEqualTo(new Request.SubRefresh("$s", "srt"));
    // uint32 ids above 2^31 stay positive; no since → null
    assertThat(cmds.get(11).id()).isEqualTo(0xFFFFFFFFL);
    assertThat(cmds.get(11).request()).isEqualTo(new Request.History("h2", 0, null, false));
  }

  @Test
  void pongUnknownAndPrecedenceFollowTheJsonDecoder() {
    List<Command> cmds = codec.decodeFrame(frame(
        cmd(0).setPublish(PublishRequest.newBuilder().setChannel("x")).build(),     // id 0, not send → pong
        cmd(5).build(),                                                              // id, no request → unknown
        cmd(6).setPing(PingRequest.getDefaultInstance()).build(),                   // v2 has no ping command
        cmd(7).setPublish(PublishRequest.newBuilder().setChannel("p"))              // subscribe wins over publish
            .setSubscribe(SubscribeRequest.newBuilder().setChannel("s")).build(),
        cmd(8).setRefresh(RefreshRequest.newBuilder().setToken("r"))                // send wins over refresh
            .setSend(SendRequest.getDefaultInstance()).build(),
        cmd(9).setConnect(ConnectRequest.getDefaultInstance())                      // connect wins over all
            .setSubRefresh(SubRefreshRequest.getDefaultInstance()).build()));
    assertThat(cmds.get(0)).isEqualTo(new Command(0, new Request.Pong()));
    assertThat(cmds.get(1)).isEqualTo(new Command(5, new Request.Unknown()));
    assertThat(cmds.get(2)).isEqualTo(new Command(6, new Request.Unknown()));
    assertThat(((Request.Subscribe) cmds.get(3).request()).channel()).isEqualTo("s");
    assertThat(cmds.get(4).request()).isInstanceOf(Request.Send.class);
    assertThat(cmds.get(5).request()).isInstanceOf(Request.Connect.class);
  }

  @Test
  void offsetsBeyondSignedRangeAreBadRequest() {
    byte[] f = frame(cmd(1).setSubscribe(SubscribeRequest.newBuilder().setChannel("c").setOffset(-1)).build());
    assertBadRequest(() -> codec.decodeFrame(f));
  }

  // ---- replies and pushes

  static final ClientInfo ALICE = new ClientInfo("alice", "c1", "{\"n\":1}".getBytes(UTF_8), new byte[] {7});
  static final Publication PUB = new Publication(new byte[] {0, 1, -2}, ALICE, 42, Map.of("k", "v"));

  @Test
  void everyReplyTypeEncodes() {
    Map<String, Result.Subscribe> subs = new LinkedHashMap<>();
    subs.put("personal:#1", new Result.Subscribe(false, 0, true, "E", List.of(PUB), true, 42, true, null, true));
    Reply r = one(codec.reply(1, new Result.Connect("cid", "1.0 OSS", true, 60, new byte[] {9}, subs, 25, true,
        "sess", "node", 123)));
    assertThat(r.getId()).isEqualTo(1);
    var cr = r.getConnect();
    assertThat(cr.getClient()).isEqualTo("cid");
    assertThat(cr.getVersion()).isEqualTo("1.0 OSS");
    assertThat(cr.getExpires()).isTrue();
    assertThat(cr.getTtl()).isEqualTo(60);
    assertThat(cr.getData().toByteArray()).containsExactly(9);
    assertThat(cr.getPing()).isEqualTo(25);
    assertThat(cr.getPong()).isTrue();
    assertThat(cr.getSession()).isEqualTo("sess");
    assertThat(cr.getNode()).isEqualTo("node");
    assertThat(cr.getTime()).isEqualTo(123);
    var ss = cr.getSubsOrThrow("personal:#1");
    assertThat(ss.getRecoverable()).isTrue();
    assertThat(ss.getEpoch()).isEqualTo("E");
    assertThat(ss.getRecovered()).isTrue();
    assertThat(ss.getWasRecovering()).isTrue();
    assertThat(ss.getPositioned()).isTrue();
    assertThat(ss.getOffset()).isEqualTo(42);
    assertPublication(ss.getPublications(0));

    var sr = one(codec.reply(2, new Result.Subscribe(true, 30, false, "", List.of(), false, 0, false,
        "{}".getBytes(UTF_8), false)));
    assertThat(sr.getId()).isEqualTo(2);
    assertThat(sr.hasSubscribe()).isTrue();
    assertThat(sr.getSubscribe().getExpires()).isTrue();
    assertThat(sr.getSubscribe().getTtl()).isEqualTo(30);
    assertThat(sr.getSubscribe().getData().toStringUtf8()).isEqualTo("{}");

    // empty results are present (the SDKs dereference them)
    assertThat(one(codec.reply(3, new Result.Unsubscribe())).hasUnsubscribe()).isTrue();
    assertThat(one(codec.reply(4, new Result.Publish())).hasPublish()).isTrue();
    assertThat(codec.reply(4, new Result.Publish()).getBytes()).isEqualTo(hex("04 08 04 42 00"));

    var pr = one(codec.reply(5, new Result.Presence(Map.of("c1", ALICE)))).getPresence();
    assertThat(pr.getPresenceOrThrow("c1").getUser()).isEqualTo("alice");
    assertThat(pr.getPresenceOrThrow("c1").getChanInfo().toByteArray()).containsExactly(7);

    var ps = one(codec.reply(6, new Result.PresenceStats(3, 2))).getPresenceStats();
    assertThat(ps.getNumClients()).isEqualTo(3);
    assertThat(ps.getNumUsers()).isEqualTo(2);

    var h = one(codec.reply(7, new Result.History(List.of(PUB), "EP", 42))).getHistory();
    assertThat(h.getEpoch()).isEqualTo("EP");
    assertThat(h.getOffset()).isEqualTo(42);
    assertPublication(h.getPublications(0));

    assertThat(one(codec.reply(8, new Result.Rpc(new byte[] {5}))).getRpc().getData().toByteArray()).containsExactly(5);
    var rf = one(codec.reply(9, new Result.Refresh("cid", "v", true, 100))).getRefresh();
    assertThat(rf.getClient()).isEqualTo("cid");
    assertThat(rf.getExpires()).isTrue();
    assertThat(rf.getTtl()).isEqualTo(100);
    var srf = one(codec.reply(10, new Result.SubRefresh(true, 50))).getSubRefresh();
    assertThat(srf.getExpires()).isTrue();
    assertThat(srf.getTtl()).isEqualTo(50);
  }

  static void assertPublication(dev.gyre.protocol.pb.Publication p) {
    assertThat(p.getData().toByteArray()).containsExactly(0, 1, -2);
    assertThat(p.getOffset()).isEqualTo(42);
    assertThat(p.getTagsMap()).containsExactly(Map.entry("k", "v"));
    assertThat(p.getInfo().getUser()).isEqualTo("alice");
    assertThat(p.getInfo().getClient()).isEqualTo("c1");
    assertThat(p.getInfo().getConnInfo().toStringUtf8()).isEqualTo("{\"n\":1}");
  }

  @Test
  void errorReplyCarriesCodeMessageAndTemporary() {
    Reply r = one(codec.error(3, ErrorCode.TOO_MANY_REQUESTS));
    assertThat(r.getId()).isEqualTo(3);
    assertThat(r.getError().getCode()).isEqualTo(111);
    assertThat(r.getError().getMessage()).isEqualTo("too many requests");
    assertThat(r.getError().getTemporary()).isTrue();
    Reply p = one(codec.error(4, ErrorCode.PERMISSION_DENIED));
    assertThat(p.getError().getTemporary()).isFalse();
    assertThat(p.hasPush()).isFalse();
  }

  @Test
  void everyPushTypeEncodes() {
    var pub = one(codec.push(new Push.Pub("ch", PUB))).getPush();
    assertThat(pub.getChannel()).isEqualTo("ch");
    assertPublication(pub.getPub());
    var join = one(codec.push(new Push.Join("ch", ALICE))).getPush();
    assertThat(join.getJoin().getInfo().getClient()).isEqualTo("c1");
    var leave = one(codec.push(new Push.Leave("ch", ALICE))).getPush();
    assertThat(leave.getLeave().getInfo().getUser()).isEqualTo("alice");
    var unsub = one(codec.push(new Push.Unsubscribe("ch", 2000, "server unsubscribe"))).getPush();
    assertThat(unsub.getChannel()).isEqualTo("ch");
    assertThat(unsub.getUnsubscribe().getCode()).isEqualTo(2000);
    assertThat(unsub.getUnsubscribe().getReason()).isEqualTo("server unsubscribe");
    var msg = one(codec.push(new Push.Message(new byte[] {1}))).getPush();
    assertThat(msg.getChannel()).isEmpty();
    assertThat(msg.getMessage().getData().toByteArray()).containsExactly(1);
    var sub = one(codec.push(new Push.Subscribe("ch", true, "E", 5, true, new byte[] {2}))).getPush();
    assertThat(sub.getSubscribe().getRecoverable()).isTrue();
    assertThat(sub.getSubscribe().getEpoch()).isEqualTo("E");
    assertThat(sub.getSubscribe().getOffset()).isEqualTo(5);
    assertThat(sub.getSubscribe().getPositioned()).isTrue();
    assertThat(sub.getSubscribe().getData().toByteArray()).containsExactly(2);
    var dis = one(codec.push(new Push.Disconnect(3503, "force disconnect"))).getPush();
    assertThat(dis.getDisconnect().getCode()).isEqualTo(3503);
    assertThat(dis.getDisconnect().getReason()).isEqualTo("force disconnect");
    assertThat(dis.getDisconnect().getReconnect()).isFalse();
  }

  @Test
  void encodeOnceFillsProtobufEvenForBinaryPayloads() {
    EncodedPush json = PushEncoding.encodeOnce(new Push.Pub("ch", new Publication("{\"a\":1}".getBytes(UTF_8), null, 1, null)));
    assertThat(json.json()).isNotNull();
    assertThat(one(codec.select(json)).getPush().getPub().getData().toStringUtf8()).isEqualTo("{\"a\":1}");

    EncodedPush binary = PushEncoding.encodeOnce(new Push.Pub("ch", PUB));
    assertThat(binary.json()).isNull();
    assertThat(binary.protobuf()).isNotNull();
    assertPublication(one(codec.select(binary)).getPush().getPub());
  }

  @Test
  void repliesConcatenateIntoOneFrame() {
    Buffer frame = Buffer.buffer().appendBuffer(codec.reply(1, new Result.Publish())).appendBytes(codec.separator())
        .appendBuffer(codec.ping()).appendBuffer(codec.push(new Push.Message(new byte[] {1})));
    List<Reply> rs = replies(frame);
    assertThat(rs).hasSize(3);
    assertThat(rs.get(0).hasPublish()).isTrue();
    assertThat(rs.get(1)).isEqualTo(Reply.getDefaultInstance());
    assertThat(rs.get(2).hasPush()).isTrue();
  }
}
