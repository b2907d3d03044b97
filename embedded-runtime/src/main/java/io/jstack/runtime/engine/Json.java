package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** The engine's JSON mapper and the small readings of Docker's JSON its services share. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** The texts of an array ({@code ["a", "b"]}); empty for anything else. */
  static List<String> strings(JsonNode n) {
    List<String> out = new ArrayList<>();
    n.forEach(x -> out.add(x.asText()));
    return out;
  }

  static String emptyToNull(String s) {
    return s == null || s.isEmpty() ? null : s;
  }

  /** A fresh random id as Docker makes them: 64 hex digits. */
  static String randomId() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
