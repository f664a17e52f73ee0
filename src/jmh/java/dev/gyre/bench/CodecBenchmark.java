package dev.gyre.bench;

import dev.gyre.protocol.ClientInfo;
import dev.gyre.protocol.Command;
import dev.gyre.protocol.EncodedPush;
import dev.gyre.protocol.Publication;
import dev.gyre.protocol.Push;
import dev.gyre.protocol.PushEncoding;
import dev.gyre.protocol.json.JsonCodec;
import dev.gyre.protocol.protobuf.ProtobufCodec;
import dev.gyre.protocol.protobuf.ProtobufReplyEncoder;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The per-message codec work: encoding a publication push (once for every format, and each format
 * alone) and decoding a typical client command frame in each format.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
  /** A chat message as an app would publish it: ~90 bytes of JSON, publisher info, an offset. */
  static final Push.Pub PUB = new Push.Pub("chat:room-42", new Publication(
      "{\"user\":\"alice\",\"text\":\"Hello everyone! How is the weather today?\",\"ts\":1767225600000}"
          .getBytes(StandardCharsets.UTF_8),
      new ClientInfo("42", "6f1c7e2a-8a33-4c8e-9f1e-2b7b1f0c9d11", null, null), 12345, Map.of()));

  /** centrifuge-js publishing that chat message: {@code {"publish":{…},"id":7}}. */
  static final byte[] JSON_FRAME = ("{\"publish\":{\"channel\":\"chat:room-42\",\"data\":"
      + "{\"user\":\"alice\",\"text\":\"Hello everyone! How is the weather today?\",\"ts\":1767225600000}},\"id\":7}")
      .getBytes(StandardCharsets.UTF_8);
  static final byte[] PROTOBUF_FRAME = protobufFrame();

  final ProtobufCodec protobuf = new ProtobufCodec(65536);

  static byte[] protobufFrame() {
    var cmd = dev.gyre.protocol.pb.Command.newBuilder().setId(7).setPublish(dev.gyre.protocol.pb.PublishRequest.newBuilder()
        .setChannel("chat:room-42").setData(com.google.protobuf.ByteString.copyFrom(PUB.publication().data()))).build();
    var out = new java.io.ByteArrayOutputStream();
    try {
      cmd.writeDelimitedTo(out);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  @Benchmark
  public EncodedPush encodeOnceBothFormats() {
    return PushEncoding.encodeOnce(PUB);
  }

  @Benchmark
  public Buffer encodeJsonPush() {
    return JsonCodec.encodeOrNull(PUB);
  }

  @Benchmark
  public Buffer encodeProtobufPush() {
    return ProtobufReplyEncoder.push(PUB);
  }

  @Benchmark
  public List<Command> decodeJsonPublishFrame() {
    return JsonCodec.INSTANCE.decodeFrame(JSON_FRAME);
  }

  @Benchmark
  public List<Command> decodeProtobufPublishFrame() {
    return protobuf.decodeFrame(PROTOBUF_FRAME);
  }
}
