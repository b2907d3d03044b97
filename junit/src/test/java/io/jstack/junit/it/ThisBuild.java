package io.jstack.junit.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * This build's modules in the local repository, as {@code mvn install} would leave them: a user's
 * project built by a test (examples/junit-hello) then resolves jstack's jars of this very build,
 * not whatever an earlier install left there.
 */
final class ThisBuild {
  private ThisBuild() {}

  /** Installs the parent pom and the jar of each of {@code modules} (with its dependencies). */
  static void install(String... modules) throws Exception {
    Path repo = OwnEngine.repo();
    List<String> cmd = mvn();
    cmd.addAll(
        List.of(
            "install:install-file",
            "-Dfile=" + repo.resolve("pom.xml"),
            "-DpomFile=" + repo.resolve("pom.xml"),
            "-Dpackaging=pom"));
    OwnEngine.run(cmd);
    for (String module : modules) {
      cmd = mvn();
      cmd.addAll(
          List.of(
              "install:install-file",
              "-Dfile=" + jar(repo.resolve(module)),
              "-DpomFile=" + repo.resolve(module).resolve("pom.xml")));
      OwnEngine.run(cmd);
    }
  }

  /** The local repository this build uses (the tests' {@code jstack.m2.repo}). */
  static String localRepository() {
    return System.getProperty("jstack.m2.repo");
  }

  private static List<String> mvn() {
    return new ArrayList<>(
        List.of("mvn", "-B", "-o", "-q", "-Dmaven.repo.local=" + localRepository()));
  }

  /** A module's main jar in its target directory, as this build packaged it. */
  private static Path jar(Path module) throws IOException {
    try (Stream<Path> files = Files.list(module.resolve("target"))) {
      return files
          .filter(f -> f.getFileName().toString().endsWith("-SNAPSHOT.jar"))
          .findFirst()
          .orElseThrow(
              () -> new IllegalStateException("no jar in " + module + "/target: package it first"));
    }
  }
}
