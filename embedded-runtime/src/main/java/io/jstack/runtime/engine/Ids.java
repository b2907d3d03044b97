package io.jstack.runtime.engine;

import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/** The ids the engine makes: of containers, exec instances, endpoints and anonymous volumes. */
final class Ids {
  private Ids() {}

  /** A fresh random id as Docker makes them: 64 hex digits. */
  static String random() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }
}
