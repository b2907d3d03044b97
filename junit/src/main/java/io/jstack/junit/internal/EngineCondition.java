package io.jstack.junit.internal;

import io.jstack.engine.Engine;
import io.jstack.junit.EnabledIfEngine;
import io.jstack.runtime.Engines;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

/** The condition behind {@link EnabledIfEngine}. */
public final class EngineCondition implements ExecutionCondition {
  @Override
  public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
    Optional<EnabledIfEngine> on =
        AnnotationSupport.findAnnotation(context.getElement(), EnabledIfEngine.class);
    if (on.isEmpty()) {
      return ConditionEvaluationResult.enabled("no @EnabledIfEngine");
    }
    Map<String, String> env = System.getenv();
    Engines.Kind kind = EngineChoice.kind(on.get().value(), env);
    String why = unusable(kind, env);
    return why == null
        ? ConditionEvaluationResult.enabled("the " + kind + " engine can run stacks")
        : ConditionEvaluationResult.disabled(why);
  }

  /** Why no stack can run on {@code kind}, or null when one can. */
  static @Nullable String unusable(Engines.Kind kind, Map<String, String> env) {
    if (kind == Engines.Kind.embedded) {
      Path socket = Engines.embeddedSocket(env);
      if (Engines.answers(socket)) {
        return null;
      }
      if (!isRoot()) {
        return "the embedded engine does not answer on "
            + socket
            + " and only root can start it (start it as root: jstack engine)";
      }
      return onPath("runc", env) ? null : "the embedded engine needs runc: apt-get install runc";
    }
    try {
      Engine engine = Engines.open(kind, env);
      try {
        engine.info();
      } finally {
        EngineChoice.close(engine);
      }
      return null;
    } catch (RuntimeException e) {
      return "Docker does not answer: " + e.getMessage();
    }
  }

  private static boolean isRoot() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("Uid:")) {
          return line.substring(4).strip().startsWith("0");
        }
      }
    } catch (IOException e) {
      return false;
    }
    return false;
  }

  private static boolean onPath(String program, Map<String, String> env) {
    String path = env.getOrDefault("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
        return true;
      }
    }
    return false;
  }
}
