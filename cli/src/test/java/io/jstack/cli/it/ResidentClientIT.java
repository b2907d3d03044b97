package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackProcess;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's native client ({@code cli/src/main/c/jstack-client.c}, compiled here with gcc as
 * the launcher compiles it) against a real engine: a command runs in the engine with the output,
 * status and directory it has in a process of its own; what the engine refuses, or where no engine
 * answers, runs in a JVM of its own (the fallback) with the same result; Ctrl-C and a killed client
 * end the command the engine ran for it.
 */
class ResidentClientIT extends EmbeddedStackFixture {
  static final String BUILD = "it-" + UUID.randomUUID().toString().substring(0, 8);
  static final String RUNS_HERE = "jstack: the engine runs it";

  @TempDir static Path bin;
  static Path client;
  static @org.jspecify.annotations.Nullable String previousBuild;

  @BeforeAll
  static void compileTheClient() throws Exception {
    client = bin.resolve("jstack-client");
    Path source = Path.of(System.getProperty("user.dir"), "src", "main", "c", "jstack-client.c");
    Process gcc =
        new ProcessBuilder(
                "gcc",
                "-O2",
                "-Wall",
                "-Wextra",
                "-Werror",
                "-o",
                client.toString(),
                source.toString())
            .redirectErrorStream(true)
            .start();
    String said = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(gcc.waitFor()).as("gcc (apt-get install gcc): " + said).isZero();
    // Engines this JVM starts serve clients of this build (as the launcher's -Djstack.build).
    previousBuild = System.getProperty("jstack.build");
    System.setProperty("jstack.build", BUILD);
  }

  @AfterAll
  static void forgetTheBuild() {
    if (previousBuild == null) {
      System.clearProperty("jstack.build");
    } else {
      System.setProperty("jstack.build", previousBuild);
    }
  }

  record Result(int code, String out, String err) {}

  /**
   * {@code jstack ARGS} through the client, as {@code build}, in {@code dir}, with {@code stdin}.
   */
  ProcessBuilder viaClient(String build, Path socket, String... args) {
    List<String> cmd = new ArrayList<>(List.of(client.toString(), socket.toString(), build));
    cmd.add(String.valueOf(args.length));
    cmd.addAll(List.of(args));
    cmd.addAll(JstackProcess.command(List.of()));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile());
    pb.environment().putAll(env);
    pb.environment().put("JSTACK_RESIDENT_DEBUG", "1");
    return pb;
  }

  static Result finish(ProcessBuilder pb, String stdin) throws Exception {
    Path out = Files.createTempFile("client", ".out");
    Path err = Files.createTempFile("client", ".err");
    try {
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      try (var in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the client ended").isTrue();
      return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }

  Result client(String... args) throws Exception {
    return finish(viaClient(BUILD, socket(), args), "");
  }

  /** The same command line in a jstack process of its own. */
  Result process(String... args) throws Exception {
    return finish(JstackProcess.builder(dir, env, args), "");
  }

  /** What the client said besides the command's own error output. */
  static String where(Result r) {
    return r.err()
        .lines()
        .filter(
            l ->
                l.startsWith("jstack: the engine runs it")
                    || l.startsWith("jstack: running in a process of its own"))
        .findFirst()
        .orElse("");
  }

  static String withoutWhere(String err) {
    return err.lines()
        .filter(
            l -> !l.equals(RUNS_HERE) && !l.startsWith("jstack: running in a process of its own"))
        .map(l -> l + "\n")
        .reduce("", String::concat);
  }

  /**
   * The launcher's freshness check, done by the client ({@code --sources ROOT STAMP}): with nothing
   * under ROOT's pom.xml files and src/main trees newer than STAMP, the command goes on (here to
   * its fallback, no engine answering); a newer file, a new directory or no stamp runs ROOT/jstack
   * again with the same arguments and {@code JSTACK_SOURCES_CHANGED=1}, for it to build.
   */
  @Test
  void changedSources_runTheLauncherAgain_unchangedOnesGoOn() throws Exception {
    Path root = bin.resolve("root");
    Path source = root.resolve("mod/src/main/java/A.java");
    Files.createDirectories(source.getParent());
    Files.writeString(root.resolve("pom.xml"), "<project/>");
    Files.writeString(root.resolve("mod/pom.xml"), "<project/>");
    Files.writeString(source, "class A {}");
    Path launcher = root.resolve("jstack");
    Files.writeString(launcher, "#!/bin/sh\necho \"launcher again: $JSTACK_SOURCES_CHANGED $*\"\n");
    launcher.toFile().setExecutable(true);
    Path stamp = bin.resolve("stamp");
    Files.writeString(stamp, "");
    java.nio.file.attribute.FileTime now =
        java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis());
    java.nio.file.attribute.FileTime before =
        java.nio.file.attribute.FileTime.fromMillis(now.toMillis() - 10_000);
    try (var all = Files.walk(root)) {
      for (Path p : all.toList()) {
        Files.setLastModifiedTime(p, before);
      }
    }
    Files.setLastModifiedTime(stamp, now);
    java.util.function.Supplier<Result> run =
        () -> {
          try {
            List<String> cmd =
                List.of(
                    client.toString(),
                    "--sources",
                    root.toString(),
                    stamp.toString(),
                    bin.resolve("no-engine.sock").toString(),
                    BUILD,
                    "2",
                    "ps",
                    "-q",
                    "/bin/echo",
                    "fallback:");
            return finish(new ProcessBuilder(cmd), "");
          } catch (Exception e) {
            throw new AssertionError(e);
          }
        };

    assertThat(run.get().out()).isEqualTo("fallback: ps -q\n");

    Files.setLastModifiedTime(
        source, java.nio.file.attribute.FileTime.fromMillis(now.toMillis() + 1));
    assertThat(run.get().out()).isEqualTo("launcher again: 1 ps -q\n");

    Files.setLastModifiedTime(source, before);
    assertThat(run.get().out()).isEqualTo("fallback: ps -q\n");
    Files.createDirectories(root.resolve("mod/src/main/resources"));
    assertThat(run.get().out()).as("a new directory").isEqualTo("launcher again: 1 ps -q\n");

    Files.delete(root.resolve("mod/src/main/resources"));
    Files.setLastModifiedTime(root.resolve("mod/src/main"), before);
    assertThat(run.get().out()).isEqualTo("fallback: ps -q\n");
    Files.delete(stamp);
    assertThat(run.get().out()).as("no stamp").isEqualTo("launcher again: 1 ps -q\n");
  }

  @Test
  void commandsRunInTheEngine_withTheOutputStatusAndDirectoryOfAProcessOfTheirOwn()
      throws Exception {
    compose(
        """
        services:
          idle:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sh", "-c", "echo started; sleep 600"]
        """);
    // Relative to the client's directory (the test's), never the engine's (/).
    String[] local = {"-p", project, "-f", "compose.yaml"};
    ok("up", "-d"); // Starts the engine (a process of this JVM's build).

    for (String[] args :
        List.of(
            concat(local, "config"),
            concat(local, "ps", "-q"),
            concat(local, "logs", "--no-log-prefix"),
            concat(local, "ps", "--bogus"),
            new String[] {"-f", "missing.yaml", "config"},
            new String[] {"nosuch"})) {
      Result engine = client(args);
      Result own = process(args);
      assertThat(where(engine)).as(String.join(" ", args)).isEqualTo(RUNS_HERE);
      assertThat(engine.code()).as(String.join(" ", args)).isEqualTo(own.code());
      assertThat(engine.out()).as(String.join(" ", args)).isEqualTo(own.out());
      assertThat(withoutWhere(engine.err())).as(String.join(" ", args)).isEqualTo(own.err());
    }
    assertThat(client(concat(local, "ps", "--bogus")).code()).isEqualTo(2);
    assertThat(client("-f", "missing.yaml", "config").code()).isEqualTo(1);
    assertThat(client(concat(local, "logs", "--no-log-prefix")).out()).isEqualTo("started\n");

    Result down = client(concat(local, "down"));
    assertThat(down.code()).as(down.err()).isZero();
    assertThat(down.out() + down.err()).contains("Container " + project + "-idle-1  Removed");
    assertThat(ok("ps", "-q").out()).isBlank();
  }

  @Test
  void whatTheEngineRefuses_orWhereNoneAnswers_runsInAJvmOfItsOwn_withTheSameResult()
      throws Exception {
    String yaml = "services:\n  web:\n    image: jstack-examples/busybox:latest\n";
    compose(yaml);
    ok("ps"); // Starts the engine.
    Result ownInput = finish(viaClient(BUILD, socket(), "-p", project, "-f", "-", "config"), yaml);
    assertThat(ownInput.code()).as(ownInput.err()).isZero();
    assertThat(where(ownInput))
        .isEqualTo(
            "jstack: running in a process of its own: the engine answered HTTP/1.1 409 Conflict:"
                + " {\"message\":\"the command line reads standard input ('-')\"}");
    assertThat(ownInput.out()).contains("image: jstack-examples/busybox:latest");

    Result otherBuild =
        finish(
            viaClient("another", socket(), "-p", project, "-f", "-", "config", "--services"), yaml);
    assertThat(where(otherBuild))
        .contains("this engine runs build " + BUILD + " of jstack, the client another");
    assertThat(otherBuild.out()).isEqualTo("web\n");

    Result noEngine =
        finish(
            viaClient(BUILD, dir.resolve("nobody.sock"), "-f", "-", "config", "--services"), yaml);
    assertThat(where(noEngine))
        .isEqualTo(
            "jstack: running in a process of its own: no engine answers on "
                + dir.resolve("nobody.sock")
                + " (No such file or directory)");
    assertThat(noEngine.out()).isEqualTo("web\n");
  }

  @Test
  void ctrlC_endsAFollowTheEngineRan_andAKilledClientEndsItToo() throws Exception {
    compose(
        """
        services:
          talk:
            image: jstack-examples/busybox:latest
            init: true
            command: ["sh", "-c", "echo hello; sleep 600"]
        """);
    ok("up", "-d");
    for (String signal : List.of("INT", "KILL")) {
      Path err = dir.resolve("follow-" + signal + ".err");
      Process follow =
          viaClient(BUILD, socket(), "-p", project, "-f", "compose.yaml", "logs", "-f")
              .redirectError(err.toFile())
              .start();
      try {
        // Its first line came through the engine: the follow runs there.
        String first =
            new String(
                follow.getInputStream().readNBytes("talk-1  | hello\n".length()),
                StandardCharsets.UTF_8);
        assertThat(first).isEqualTo("talk-1  | hello\n");
        assertThat(Files.readString(err)).contains(RUNS_HERE);
        new ProcessBuilder("kill", "-" + signal, String.valueOf(follow.pid())).start().waitFor();
        assertThat(follow.waitFor(10, TimeUnit.SECONDS))
            .as("the client ended on SIG" + signal)
            .isTrue();
        assertThat(follow.exitValue()).isEqualTo(signal.equals("INT") ? 0 : 137);
      } finally {
        follow.destroyForcibly();
      }
      assertThat(followsServed()).as("the engine's follows after SIG" + signal).isZero();
    }
  }

  /** How many log or event streams the engine serves: a thread dump of its process. */
  long followsServed() throws Exception {
    long pid = Long.parseLong(Files.readString(dir.resolve("data").resolve("engine.pid")).strip());
    long served = -1;
    for (int i = 0; i < 50 && served != 0; i++) {
      Process jcmd =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                  String.valueOf(pid),
                  "Thread.print")
              .redirectErrorStream(true)
              .start();
      String dump = new String(jcmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      jcmd.waitFor();
      assertThat(dump).contains("jstack-engine-io");
      served =
          dump.lines()
              .filter(l -> l.contains("LogRoutes.logs(") || l.contains("SystemRoutes.events("))
              .count();
      if (served != 0) {
        Thread.sleep(100);
      }
    }
    return served;
  }

  static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
