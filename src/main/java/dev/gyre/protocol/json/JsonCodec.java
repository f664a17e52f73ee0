package dev.gyre.protocol.json;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.DisconnectException;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.ErrorCode;
import dev.gyre.protocol.ProtocolCodec;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.Result;
import io.vertx.core.buffer.Buffer;

import java.util.List;

/**
 * The JSON format: newline-separated commands and replies in Centrifugo's JSON mapping
 * (spec/client-protocol.md §1.3). Replies whose payloads are not valid JSON (published as binary
 * by the server API or a Protobuf client) cannot be carried: 3506.
 */
public final class JsonCodec implements ProtocolCodec {
  public static final JsonCodec INSTANCE = new JsonCodec();
  private static final byte[] NEWLINE = {'\n'};

  private JsonCodec() {}

  @Override public String name() { return "json"; }

  @Override public boolean binary() { return false; }

  @Override
  public List<Command> decodeFrame(byte[] frame) {
    return JsonCommandDecoder.decodeFrame(frame);
  }

  @Override
  public Buffer reply(long id, Result result) {
    if (!payloadsValid(result)) throw new DisconnectException(DisconnectCode.INAPPROPRIATE_PROTOCOL);
    return JsonReplyEncoder.reply(id, result);
  }

  @Override
  public Buffer error(long id, ErrorCode error) {
    return JsonReplyEncoder.error(id, error);
  }

  @Override
  public Buffer push(Push push) {
    return JsonReplyEncoder.push(push);
  }

  @Override
  public Buffer ping() {
    return JsonReplyEncoder.PING;
  }

  @Override
  public Buffer select(EncodedPush push) {
    return push.json();
  }

  @Override
  public byte[] separator() {
    return NEWLINE;
  }

  /** Encodes a push for JSON subscribers, or null when one of its payloads is not valid JSON. */
  public static Buffer encodeOrNull(Push push) {
    if (push instanceof Push.Pub p && !publicationValid(p.publication())) return null;
    if (push instanceof Push.Join j && !infoValid(j.info())) return null;
    if (push instanceof Push.Leave l && !infoValid(l.info())) return null;
    return JsonReplyEncoder.push(push);
  }

  private static boolean payloadsValid(Result r) {
    if (r instanceof Result.History h) return h.publications().stream().allMatch(JsonCodec::publicationValid);
    if (r instanceof Result.Subscribe s) return subscribeValid(s);
    if (r instanceof Result.Presence p) return p.presence().values().stream().allMatch(JsonCodec::infoValid);
    if (r instanceof Result.Connect c) {
      return raw(c.data()) && (c.subs() == null || c.subs().values().stream().allMatch(JsonCodec::subscribeValid));
    }
    if (r instanceof Result.Rpc rpc) return raw(rpc.data());
    return true;
  }

  private static boolean subscribeValid(Result.Subscribe s) {
    return raw(s.data()) && (s.publications() == null || s.publications().stream().allMatch(JsonCodec::publicationValid));
  }

  private static boolean publicationValid(Publication p) {
    return raw(p.data()) && (p.info() == null || infoValid(p.info()));
  }

  private static boolean infoValid(ClientInfo i) {
    return raw(i.connInfo()) && raw(i.chanInfo());
  }

  private static boolean raw(byte[] payload) {
    return payload == null || payload.length == 0 || RawJson.isValid(payload);
  }
}
