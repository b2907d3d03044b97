package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The engine's JSON mapper and the small readings of Docker's JSON its services share. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A fresh random id as Docker makes them: 64 hex digits. */
  static String randomId() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
