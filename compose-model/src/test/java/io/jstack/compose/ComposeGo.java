package io.jstack.compose;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.assertj.core.api.AbstractStringAssert;

/**
 * The compose-go conformance fixtures ({@code shared/conformance/compose-go}) and the ways their
 * upstream tests load them, expressed with jstack's {@link ProjectOptions}.
 *
 * <p>compose-go's {@code WorkingDir} is our project directory; the process cwd that relative {@code
 * -f} paths start from is our {@link ProjectOptions#workingDirectory()}. Inline YAML that upstream
 * hands the loader directly is written to a file, or given as standard input ({@code -f -}) when
 * upstream uses no file name, so that its relative paths start from the same directory.
 */
final class ComposeGo {
  private ComposeGo() {}

  /** {@code compose-go/}. */
  static Path root() {
    return Fixtures.shared().resolve("conformance").resolve("compose-go");
  }

  /** {@code compose-go/loader}: upstream's cwd for the loader tests. */
  static Path loaderDir() {
    return root().resolve("loader");
  }

  /** {@code compose-go/cli}: upstream's cwd for the cli tests. */
  static Path cliDir() {
    return root().resolve("cli");
  }

  /** {@code compose-go/types}: upstream's cwd for the types tests. */
  static Path typesDir() {
    return root().resolve("types");
  }

  /** The user's home, which compose-go (and our tests) also give as {@code HOME}. */
  static String home() {
    return System.getProperty("user.home");
  }

  /** {@code yaml} loaded as standard input ({@code -f -}), with {@code cwd} as the directory. */
  static LoadedProject loadStdin(String yaml, Path cwd, Map<String, String> env) {
    return ComposeLoader.load(ProjectOptions.of(List.of(Path.of("-")), env, cwd).withStdin(yaml));
  }

  /** The error loading {@code options} fails with. */
  static ComposeException loadError(ProjectOptions options) {
    try {
      LoadedProject p = ComposeLoader.load(options);
      throw new AssertionError("loaded without error: " + p.project().services().keySet());
    } catch (ComposeException e) {
      return e;
    }
  }

  /** An assertion on the message, one line, that loading {@code options} fails with. */
  static AbstractStringAssert<?> assertLoadError(ProjectOptions options) {
    return assertThat(loadError(options).getMessage()).doesNotContain("\n");
  }

  /** Copies the directory tree {@code from} into {@code to}, which it creates. */
  static Path copyTree(Path from, Path to) {
    try (Stream<Path> walk = Files.walk(from)) {
      for (Path p : walk.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
      return to;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes {@code text} to {@code file}, creating its folder. */
  static Path write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@code loader/example1.label}, which compose-go has next to {@code example1.env} but the shared
   * copy lacks (notes §0).
   */
  static final String EXAMPLE1_LABEL =
      """
      # passed through
      FOO=foo_from_label_file
      LABEL.WITH.DOT=ok
      LABEL_WITH_UNDERSCORE=ok

      # overridden in example2.label
      BAR=bar_from_label_file

      # overridden in full-example.yml
      BAZ=baz_from_label_file
      """;

  /** {@code loader/example2.label}, likewise missing from the shared copy. */
  static final String EXAMPLE2_LABEL =
      """
      BAR=bar_from_label_file_2

      # overridden in configDetails.Labels
      QUX=quz_from_label_file_2
      """;

  /** A copy of {@code loader/} in {@code dir} with the two label files added. */
  static Path loaderCopyWithLabels(Path dir) {
    Path copy = copyTree(loaderDir(), dir.resolve("loader"));
    write(copy.resolve("example1.label"), EXAMPLE1_LABEL);
    write(copy.resolve("example2.label"), EXAMPLE2_LABEL);
    return copy;
  }
}
