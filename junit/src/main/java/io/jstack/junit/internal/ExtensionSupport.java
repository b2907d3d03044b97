package io.jstack.junit.internal;

import io.jstack.junit.Endpoint;
import io.jstack.junit.JStack;
import io.jstack.junit.ServicePort;
import io.jstack.junit.Stack;
import io.jstack.junit.StackSpec;
import io.jstack.junit.Wait;
import io.jstack.junit.WaitFor;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/** What {@link io.jstack.junit.JStackExtension} does besides keeping stacks in stores. */
public final class ExtensionSupport {
  private ExtensionSupport() {}

  /**
   * The stack {@code declared} on {@code testClass} describes.
   *
   * @throws IllegalArgumentException naming the class and attribute when an attribute is wrong
   */
  public static StackSpec spec(JStack declared, Class<?> testClass) {
    String where = "@JStack on " + testClass.getName();
    if (declared.file().length == 0) {
      throw new IllegalArgumentException(where + " names no compose file: set file = \"...\"");
    }
    List<Path> files = new ArrayList<>();
    for (String f : declared.file()) {
      files.add(Path.of(f).toAbsolutePath().normalize());
    }
    Map<String, String> env = new LinkedHashMap<>();
    for (String e : declared.env()) {
      int eq = e.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException(where + ": env entry \"" + e + "\" is not NAME=VALUE");
      }
      env.put(e.substring(0, eq), e.substring(eq + 1));
    }
    List<Wait> waits = new ArrayList<>();
    for (WaitFor w : declared.waits()) {
      waits.add(wait(w, where));
    }
    boolean reuse =
        declared.reuse()
            || Boolean.parseBoolean(System.getProperty("jstack.reuse"))
            || Boolean.parseBoolean(System.getenv("JSTACK_REUSE"));
    return StackSpec.of(files.toArray(Path[]::new))
        .withProfiles(declared.profiles())
        .withEnv(env)
        .withProjectName(declared.name().isEmpty() ? null : declared.name())
        .withEngine(declared.engine())
        .withFreePorts(declared.freePorts())
        .withReuse(reuse)
        .withWaits(waits.toArray(Wait[]::new))
        .withTimeout(Duration.ofSeconds(declared.timeoutSeconds()));
  }

  private static Wait wait(WaitFor w, String where) {
    int set = (w.port() > 0 ? 1 : 0) + (w.logLine().isEmpty() ? 0 : 1) + (w.httpPort() > 0 ? 1 : 0);
    if (set != 1) {
      throw new IllegalArgumentException(
          where
              + ": @WaitFor(service = \""
              + w.service()
              + "\") sets "
              + (set == 0 ? "none" : "several")
              + " of port, logLine and httpPort: set exactly one");
    }
    if (w.port() > 0) {
      return Wait.port(w.service(), w.port());
    }
    return w.logLine().isEmpty()
        ? Wait.http(w.service(), w.httpPort(), w.path())
        : Wait.logLine(w.service(), w.logLine());
  }

  /**
   * Sets the {@link Stack} fields and {@link ServicePort} {@link Endpoint} fields of {@code type}
   * and its superclasses: the static ones when {@code instance} is null, else the instance's.
   */
  public static void inject(Class<?> type, @Nullable Object instance, Stack stack)
      throws IllegalAccessException {
    List<Field> fields =
        ReflectionSupport.findFields(
            type,
            f -> injectable(f) && Modifier.isStatic(f.getModifiers()) == (instance == null),
            HierarchyTraversalMode.TOP_DOWN);
    for (Field f : fields) {
      ServicePort port = f.getAnnotation(ServicePort.class);
      Object value = port == null ? stack : stack.endpoint(port.service(), port.port());
      f.setAccessible(true);
      f.set(instance, value);
    }
  }

  private static boolean injectable(Field f) {
    return !Modifier.isFinal(f.getModifiers())
        && (f.getType() == Stack.class
            || f.getType() == Endpoint.class && f.isAnnotationPresent(ServicePort.class));
  }

  /**
   * Writes every service's logs of {@code stack} to {@code <logs root>/<class>/<method>/},
   * publishes the directory as the report entry {@code jstack.logs} and names it on {@code failure}
   * (a suppressed exception), or adds why the logs could not be written.
   */
  public static void dumpLogs(ExtensionContext context, Stack stack, Throwable failure) {
    String test = context.getTestMethod().map(java.lang.reflect.Method::getName).orElse("class");
    Path dir = free(logsRoot().resolve(context.getRequiredTestClass().getName()).resolve(test));
    try {
      stack.dumpLogs(dir);
      context.publishReportEntry("jstack.logs", dir.toString());
      failure.addSuppressed(
          new LogsWritten(
              "jstack: the logs of every service of stack "
                  + stack.project()
                  + " are in "
                  + dir
                  + "/"));
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }

  /**
   * Where failed tests' logs go: {@code -Djstack.logs.dir}, else {@code target/jstack-logs} under
   * the module ({@code basedir}, as Surefire and Failsafe set it) or the working directory.
   */
  static Path logsRoot() {
    String set = System.getProperty("jstack.logs.dir");
    if (set != null && !set.isBlank()) {
      return Path.of(set).toAbsolutePath();
    }
    String base = System.getProperty("basedir", System.getProperty("user.dir"));
    return Path.of(base, "target", "jstack-logs").toAbsolutePath();
  }

  /** {@code dir}, or {@code dir-2}, {@code dir-3}... when a repeated test wrote it already. */
  private static Path free(Path dir) {
    Path candidate = dir;
    for (int n = 2; Files.exists(candidate); n++) {
      candidate = dir.resolveSibling(dir.getFileName() + "-" + n);
    }
    return candidate;
  }

  /** Names the directory of a failed test's logs on its failure; carries no stack trace. */
  static final class LogsWritten extends RuntimeException {
    private static final long serialVersionUID = 1L;

    LogsWritten(String message) {
      super(message, null, false, false);
    }
  }
}
