package dev.gyre.session;

import dev.gyre.protocol.Disconnect;
import dev.gyre.protocol.DisconnectCode;
import dev.gyre.protocol.ErrorCode;

/**
 * A unidirectional client cannot read an error reply, so a connect error becomes a disconnect
 * (spec/client-protocol.md §1.7, Centrifugo's default mapping): token expired and expired
 * reconnect as "connection expired", too many requests as itself, permission denied is terminal,
 * anything else is an internal error the client retries.
 */
final class UnidirectionalConnect {
  private UnidirectionalConnect() {}

  static Disconnect disconnectFor(ErrorCode error) {
    return switch (error) {
      case TOKEN_EXPIRED, EXPIRED -> DisconnectCode.EXPIRED.toDisconnect();
      case TOO_MANY_REQUESTS -> DisconnectCode.TOO_MANY_REQUESTS.toDisconnect();
      case PERMISSION_DENIED -> DisconnectCode.PERMISSION_DENIED.toDisconnect();
      default -> DisconnectCode.INTERNAL.toDisconnect();
    };
  }
}
