package dev.gyre.protocol.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.gyre.protocol.EmulationRequest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Decodes a JSON emulation request {@code {"session":"…","node":"…","data":"…"}} (spec/client-protocol.md
 * §1.6). centrifuge-js stringifies the command frame twice, so {@code data} is a JSON string whose
 * content is the newline-separated command frame; it is unquoted here and returned as UTF-8 bytes.
 * Unknown keys are ignored; {@code null} counts as absent. Anything else malformed — not one JSON
 * object, wrong types, no session, no data — raises {@link EmulationRequest.MalformedException}
 * and nothing else.
 */
public final class JsonEmulationRequestDecoder {
  private JsonEmulationRequestDecoder() {}

  public static EmulationRequest decode(byte[] body) {
    String session = "", node = "", data = "";
    try (JsonParser p = RawJson.FACTORY.createParser(body)) {
      if (p.nextToken() != JsonToken.START_OBJECT) throw malformed("not a JSON object");
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken v = p.nextToken();
        switch (name) {
          case "session" -> session = string(p, v, name);
          case "node" -> node = string(p, v, name);
          case "data" -> data = string(p, v, name);
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) throw malformed("trailing content");
    } catch (IOException | RuntimeException e) {
      if (e instanceof EmulationRequest.MalformedException m) throw m;
      throw malformed("invalid JSON");
    }
    if (session.isEmpty()) throw malformed("no session");
    if (data.isEmpty()) throw malformed("no data");
    return new EmulationRequest(session, node, data.getBytes(StandardCharsets.UTF_8));
  }

  private static String string(JsonParser p, JsonToken v, String name) throws IOException {
    if (v == JsonToken.VALUE_NULL) return "";
    if (v != JsonToken.VALUE_STRING) throw malformed(name + " must be a string");
    return p.getText();
  }

  private static EmulationRequest.MalformedException malformed(String why) {
    return new EmulationRequest.MalformedException(why);
  }
}
