package dev.gyre.config;

/**
 * The transports besides the bidirectional WebSocket (spec/config.md §2.9): the two
 * bidirectional emulations with their emulation endpoint, and the unidirectional transports,
 * uni gRPC included. All are off by default.
 */
public record StreamTransports(Endpoint httpStream, Endpoint sse, Endpoint emulation, Endpoint uniHttpStream,
                               Endpoint uniSse, Endpoint uniWebSocket, java.time.Duration uniWebSocketWriteTimeout,
                               UniGrpc uniGrpc) {
  public static final int DEFAULT_MAX_REQUEST_BODY_SIZE = 65536;
  public static final int DEFAULT_UNI_GRPC_PORT = 11000;

  /**
   * The unidirectional gRPC transport (the v6 {@code uni_grpc.*} group), on its own port.
   * {@code maxReceiveMessageSize} is already resolved (the gRPC default 4 MiB when 0 was configured).
   */
  public record UniGrpc(boolean enabled, String address, int port, int maxReceiveMessageSize) {}

  /**
   * One endpoint: whether it is served, its path, and the largest request body it reads (for
   * uni_websocket the largest connect message).
   */
  public record Endpoint(boolean enabled, String handlerPrefix, int maxRequestBodySize) {}

  /** The emulation endpoint is served whenever one of the emulated transports is. */
  public boolean emulationEnabled() {
    return httpStream.enabled() || sse.enabled();
  }

  static StreamTransports from(ConfigValues v) {
    Endpoint httpStream = endpoint(v, "http_stream", "/connection/http_stream", "max_request_body_size");
    Endpoint sse = endpoint(v, "sse", "/connection/sse", "max_request_body_size");
    Endpoint emulation = new Endpoint(httpStream.enabled() || sse.enabled(),
        GyreConfig.prefix(v, "emulation.handler_prefix", "/emulation"),
        GyreConfig.positive(v, "emulation.max_request_body_size", DEFAULT_MAX_REQUEST_BODY_SIZE));
    return new StreamTransports(httpStream, sse, emulation,
        endpoint(v, "uni_http_stream", "/connection/uni_http_stream", "max_request_body_size"),
        endpoint(v, "uni_sse", "/connection/uni_sse", "max_request_body_size"),
        endpoint(v, "uni_websocket", "/connection/uni_websocket", "message_size_limit"),
        v.duration("uni_websocket.write_timeout", java.time.Duration.ofSeconds(1)),
        uniGrpc(v));
  }

  private static UniGrpc uniGrpc(ConfigValues v) {
    int port = v.integer("uni_grpc.port", DEFAULT_UNI_GRPC_PORT);
    if (port < 0 || port > 65535) throw new ConfigException("uni_grpc.port", "must be between 0 and 65535");
    int maxReceive = GyreConfig.positive(v, "uni_grpc.max_receive_message_size", 0);
    return new UniGrpc(v.bool("uni_grpc.enabled", false), v.string("uni_grpc.address", ""), port,
        maxReceive > 0 ? maxReceive : GyreConfig.DEFAULT_GRPC_MAX_RECEIVE_MESSAGE_SIZE);
  }

  private static Endpoint endpoint(ConfigValues v, String group, String defaultPrefix, String sizeKey) {
    return new Endpoint(v.bool(group + ".enabled", false),
        GyreConfig.prefix(v, group + ".handler_prefix", defaultPrefix),
        GyreConfig.positive(v, group + "." + sizeKey, DEFAULT_MAX_REQUEST_BODY_SIZE));
  }
}
