package dev.gyre.protocol;

/**
 * A client→server command frame for an emulated session, posted to the emulation endpoint
 * (spec/client-protocol.md §1.6, §2.4): the session and node from the connect reply, and the
 * command frame itself in the session's wire format.
 */
public record EmulationRequest(String session, String node, byte[] data) {

  /** Thrown by emulation request decoders for a body that is not a well-formed request (HTTP 400). */
  public static final class MalformedException extends RuntimeException {
    public MalformedException(String message) {
      super(message, null, false, false);
    }
  }
}
