package io.jstack.cli.it;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.cli.JstackRunner;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stack on the embedded engine for integration tests of that engine alone: an {@link EngineStack}
 * on {@link EngineKind#EMBEDDED} around each test (a data root and engine socket of its own, in a
 * temporary directory, the examples' busybox image loaded; after the test {@code down}, the
 * engine's networks removed and the engine stopped, each of which must succeed); then {@link
 * NothingLeft} checks that the host is as the test found it.
 */
abstract class EmbeddedStackFixture {
  @TempDir Path dir;
  final String project = "embedded-it-" + UUID.randomUUID().toString().substring(0, 6);
  EngineStack stack;
  Map<String, String> env;
  JstackRunner jstack;
  String[] base;

  @BeforeAll
  static void image() {
    Docker.requireExampleImage();
  }

  @BeforeEach
  void engineWithImage() throws Exception {
    stack = EngineStack.on(EngineKind.EMBEDDED, dir, project);
    env = stack.env;
    jstack = stack.jstack;
    base = stack.base;
  }

  @AfterEach
  void downAndStopTheEngine() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }

  Path socket() {
    return stack.socket();
  }

  /** Writes the stack's compose file. */
  void compose(String yaml) throws Exception {
    stack.compose(yaml);
  }

  /** Runs {@code args} on the stack (with the runner the test may have changed); must exit 0. */
  JstackRunner.Run ok(String... args) {
    return EngineStack.ok(jstack, base, args);
  }

  /** Pushes the busybox image (with skopeo, from its docker save archive) as {@code image}. */
  void push(String image) {
    stack.push(image);
  }

  JsonNode api(String path) throws Exception {
    return stack.api(path);
  }

  String apiCall(String method, String path, String json) {
    return stack.apiCall(method, path, json);
  }

  JsonNode inspect(String service) throws Exception {
    return stack.inspect(service);
  }
}
