package io.jstack.cli.it;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * What integration tests of scenarios that hold on both engines share: each test is
 * {@code @ParameterizedTest @EnumSource(EngineKind.class)} and begins with {@link #on}, which
 * readies its {@link EngineStack} (a project named after the class); after the test the stack is
 * removed as {@link EngineStack#close} says, also when the test failed.
 */
abstract class OnEachEngine {
  @TempDir Path dir;

  final String project =
      getClass().getSimpleName().replaceFirst("IT$", "").toLowerCase(Locale.ROOT)
          + "-it-"
          + UUID.randomUUID().toString().substring(0, 8);

  EngineStack stack;

  @BeforeAll
  static void image() {
    Docker.requireExampleImage();
  }

  /** Readies the test's stack on {@code engine}, its compose file at {@code dir/compose.yaml}. */
  EngineStack on(EngineKind engine) throws Exception {
    return on(engine, dir.resolve("compose.yaml"), Map.of());
  }

  /**
   * Readies the test's stack on {@code engine}, its compose file at {@code composeFile}, with
   * {@code extraEnv} in jstack's environment.
   */
  EngineStack on(EngineKind engine, Path composeFile, Map<String, String> extraEnv)
      throws Exception {
    stack = EngineStack.on(engine, dir, project, composeFile, extraEnv);
    return stack;
  }

  @AfterEach
  void removeTheStack() throws Exception {
    if (stack != null) {
      stack.close();
    }
  }
}
