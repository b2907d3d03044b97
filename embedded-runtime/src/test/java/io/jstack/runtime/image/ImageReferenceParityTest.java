package io.jstack.runtime.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * This module's image-reference parser and engine-client's ({@link
 * io.jstack.engine.ImageReference}), which is to replace it, answer every reference alike: the same
 * parts and forms, or the same message.
 */
class ImageReferenceParityTest {
  static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);

  static final List<String> KNOWN =
      List.of(
          "busybox",
          "busybox:1.36",
          "library/busybox",
          "docker.io/library/busybox:1",
          "docker.io/busybox",
          "index.docker.io/library/busybox",
          "team/app",
          "team/sub/app:v_1.0-rc",
          "localhost/app",
          "localhost:5000/a/b:1",
          "127.0.0.1:5000/app@" + DIGEST,
          "host:5000/app:1@" + DIGEST,
          "registry.example.com/team/app:2",
          "ghcr.io/a__b/c--d.e_f",
          "app@" + DIGEST,
          "sha256:0123456789abcdef",
          "",
          "..",
          "../../etc",
          "a//b",
          "/app",
          "app/",
          "app-",
          "Team/App",
          "Upper",
          "app:",
          "app:-x",
          "app:bad!tag",
          "app:" + "t".repeat(128),
          "app:" + "t".repeat(129),
          "app@sha256:abc",
          "app@md5:0123",
          "app@",
          "@" + DIGEST,
          "a\u0001b",
          "app:t\ng",
          "app@\u001b[31m",
          "a".repeat(255),
          "a".repeat(256),
          "registry.example.com/" + "a".repeat(234) + ":1",
          "registry.example.com/" + "a".repeat(235) + ":1",
          "x".repeat(300));

  @Test
  void knownReferences_parseAlike() {
    for (String text : KNOWN) {
      assertAlike(text);
    }
  }

  @Test
  void randomReferences_parseAlike() {
    String[] pieces = {
      "a",
      "b",
      "z",
      "0",
      "9",
      "A",
      ".",
      "_",
      "__",
      "-",
      "--",
      "/",
      ":",
      "@",
      "5000",
      "localhost",
      "docker.io",
      "library",
      "sha256:",
      DIGEST,
      "latest",
      "\u0001",
      " ",
      "é"
    };
    Random random = new Random(16);
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < 20_000; i++) {
      StringBuilder b = new StringBuilder();
      int n = random.nextInt(8);
      for (int k = 0; k < n; k++) {
        b.append(pieces[random.nextInt(pieces.length)]);
      }
      texts.add(b.toString());
    }
    int parsed = 0;
    for (String text : texts) {
      if (assertAlike(text)) {
        parsed++;
      }
    }
    assertThat(parsed).as("references both took").isBetween(1_000, 19_000);
  }

  /** Whether both took {@code text}; fails when they answer it differently. */
  private static boolean assertAlike(String text) {
    String ours = answer(() -> describe(ImageReference.parse(text)));
    String engines = answer(() -> describe(io.jstack.engine.ImageReference.parse(text)));
    assertThat(engines).as("'%s'", text).isEqualTo(ours);
    return !ours.startsWith("refused");
  }

  private static String describe(ImageReference r) {
    return String.join(
        "|",
        "parts " + r.registry(),
        r.repository(),
        r.tag(),
        r.digest(),
        r.toString(),
        r.familiar(),
        r.apiHost(),
        r.manifestReference(),
        r.withTag("t").toString());
  }

  private static String describe(io.jstack.engine.ImageReference r) {
    return String.join(
        "|",
        "parts " + r.registry(),
        r.repository(),
        r.tag(),
        r.digest(),
        r.toString(),
        r.familiar(),
        r.apiHost(),
        r.manifestReference(),
        r.withTag("t").toString());
  }

  private static String answer(java.util.function.Supplier<String> parse) {
    try {
      return parse.get();
    } catch (IllegalArgumentException e) {
      return "refused: " + e.getMessage();
    }
  }
}
