package io.jstack.compose;

import io.jstack.compose.internal.bind.PlainValues;
import io.jstack.compose.internal.load.Loader;
import java.util.Objects;

/** Loads compose projects: the one entry point to the model. */
public final class ComposeLoader {
  private ComposeLoader() {}

  /**
   * Loads, interpolates, merges, normalises and validates the project that {@code options} select.
   *
   * @throws ComposeException with file, line, column and YAML path when anything is wrong
   */
  public static LoadedProject load(ProjectOptions options) {
    return Loader.load(options);
  }

  /**
   * The name {@link #load} gives the project {@code options} select (from the options, the
   * environment, the files' {@code name:}, else the project directory's), read without loading the
   * project: a caller that names it otherwise loads it once, under its own name.
   *
   * @throws ComposeException when it is not a valid project name, or none can be derived
   */
  public static String projectName(ProjectOptions options) {
    return Loader.projectName(options);
  }

  /**
   * The project {@code options} name when they name no compose file and none is found, as Docker
   * Compose's {@code -p NAME} without files: a project of that name ({@code -p}, else {@code
   * COMPOSE_PROJECT_NAME}) with nothing in it, for the commands that act on what an engine has of a
   * project ({@code down}); empty when there are compose files, or no name is given.
   *
   * @throws ComposeException when the name given is not a valid project name
   */
  public static java.util.Optional<LoadedProject> withoutFiles(ProjectOptions options) {
    return Loader.withoutFiles(options);
  }

  /**
   * The merged, interpolated document before normalisation, as a plain tree (for {@code config
   * --no-normalize}); the project is still loaded and validated in full.
   *
   * @throws ComposeException as {@link #load} does
   */
  public static Object loadUnnormalized(ProjectOptions options) {
    // A mapping's plain tree is a map, never null.
    return Objects.requireNonNull(PlainValues.of(Loader.loadModel(options).document()));
  }
}
