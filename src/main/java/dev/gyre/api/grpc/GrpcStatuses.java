package dev.gyre.api.grpc;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import dev.gyre.api.ApiError;
import io.vertx.grpc.common.GrpcStatus;
import io.vertx.grpc.server.GrpcServerResponse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Base64;

/**
 * The transport error mode of the gRPC API (spec/server-api.md §3, §9): a server API error
 * becomes a gRPC status with the error's message, carrying the {@code Error} message as a status
 * detail in {@code grpc-status-details-bin} (a {@code google.rpc.Status} holding one
 * {@code google.protobuf.Any}, encoded here by hand to avoid a dependency for two tiny messages).
 */
final class GrpcStatuses {
  static final String DETAILS_TRAILER = "grpc-status-details-bin";
  static final String ERROR_TYPE_URL = "type.googleapis.com/centrifugal.centrifugo.api.Error";

  private GrpcStatuses() {}

  static GrpcStatus status(ApiError e) {
    return switch (e) {
      case UNKNOWN_CHANNEL, NOT_FOUND -> GrpcStatus.NOT_FOUND;
      case BAD_REQUEST, NOT_AVAILABLE -> GrpcStatus.INVALID_ARGUMENT;
      case UNRECOVERABLE_POSITION -> GrpcStatus.OUT_OF_RANGE;
      case CONFLICT -> GrpcStatus.ALREADY_EXISTS;
      default -> GrpcStatus.INTERNAL;
    };
  }

  static void fail(GrpcServerResponse<?, ?> response, ApiError e) {
    GrpcStatus status = status(e);
    response.trailers().set(DETAILS_TRAILER, Base64.getEncoder().withoutPadding().encodeToString(details(status, e)));
    response.status(status).statusMessage(e.message()).end();
  }

  /** google.rpc.Status{code=1, message=2, details=3: Any{type_url=1, value=2: Error{code=1, message=2}}}. */
  static byte[] details(GrpcStatus status, ApiError e) {
    byte[] error = dev.gyre.api.pb.Error.newBuilder().setCode(e.code()).setMessage(e.message()).build().toByteArray();
    try {
      ByteString.Output any = ByteString.newOutput();
      CodedOutputStream a = CodedOutputStream.newInstance(any);
      a.writeString(1, ERROR_TYPE_URL);
      a.writeByteArray(2, error);
      a.flush();
      ByteString.Output out = ByteString.newOutput();
      CodedOutputStream s = CodedOutputStream.newInstance(out);
      s.writeInt32(1, status.code);
      s.writeString(2, e.message());
      s.writeBytes(3, any.toByteString());
      s.flush();
      return out.toByteString().toByteArray();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex); // in-memory output cannot fail
    }
  }
}
