package io.jstack.junit;

import io.jstack.junit.internal.StackStarter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.stream.Stream;

/**
 * Stacks a build starts once for the test JVMs it forks. The Maven plugin's {@code up} starts a
 * stack and publishes it: a properties file in a directory that the system property {@value
 * #PROPERTY} names in every forked test JVM. A test JVM's stack whose resolved model is the same
 * (same files, profiles and variables) attaches to it instead of starting its own, and leaves it
 * running when it closes; the plugin's {@code down} removes it.
 *
 * <p>The file holds {@code project}, {@code engine}, {@code model} (the model's hash) and one
 * {@code <service>.<port>=host:port} line per published port, for tools other than Java.
 */
public final class SharedStacks {
  /** The system property naming the directory of published stacks. */
  public static final String PROPERTY = "jstack.attach";

  private SharedStacks() {}

  /**
   * Writes {@code stack}, started from {@code spec}, to {@code dir/<project>.properties} and
   * returns that file.
   *
   * @throws StackException when the file cannot be written
   */
  public static Path publish(Stack stack, StackSpec spec, Path dir) {
    Properties p = new Properties();
    p.setProperty("project", stack.project());
    p.setProperty("engine", StackStarter.engineOf(spec));
    p.setProperty("model", StackStarter.modelKey(spec));
    stack
        .endpoints()
        .forEach(
            (service, ports) ->
                ports.forEach((port, e) -> p.setProperty(service + "." + port, e.authority())));
    Path file = dir.resolve(stack.project() + ".properties");
    try {
      Files.createDirectories(dir);
      try (OutputStream out = Files.newOutputStream(file)) {
        p.store(out, "a stack started by the build for its test JVMs (jstack)");
      }
    } catch (IOException e) {
      throw new StackException(
          "cannot publish stack " + stack.project() + " to " + file + ": " + e, e);
    }
    return file;
  }

  /** The stacks published in {@code dir}, each file's properties; none when it does not exist. */
  public static List<Properties> published(Path dir) {
    List<Properties> all = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return all;
    }
    try (Stream<Path> files = Files.list(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".properties")).sorted().toList()) {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(f)) {
          p.load(in);
        }
        if (p.getProperty("project") != null && p.getProperty("model") != null) {
          all.add(p);
        }
      }
    } catch (IOException e) {
      throw new StackException("cannot read the published stacks in " + dir + ": " + e, e);
    }
    return all;
  }

  /**
   * The stack the build published for {@code spec}'s resolved model, attached (its {@link
   * Stack#close()} leaves it running), or when there is none, {@code spec} {@linkplain
   * StackSpec#start() started}. The extension's SUITE stacks start this way; stacks of a class or a
   * method are always their own.
   */
  public static Stack attachOrStart(StackSpec spec) {
    return StackStarter.start(spec, true);
  }

  /**
   * The published stack this JVM's {@code model} hash may attach to: one in the directory that
   * {@value #PROPERTY} names, with the same model.
   */
  public static Optional<Properties> forModel(String model) {
    String dir = System.getProperty(PROPERTY);
    if (dir == null || dir.isBlank()) {
      return Optional.empty();
    }
    return published(Path.of(dir)).stream()
        .filter(p -> model.equals(p.getProperty("model")))
        .findFirst();
  }
}
