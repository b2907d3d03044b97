package io.jstack.junit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.NothingLeft;
import io.jstack.junit.StackEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * examples/junit-hello built with Maven as a user builds it, on each engine: its six test classes
 * (four on one SUITE stack, two with stacks of their own) in two Failsafe forks with JUnit's
 * parallel execution all pass, tests of one fork running at the same time; each fork starts the
 * suite's stack exactly once (every suite class of a fork saw the same project and the same web
 * container) under names and host ports no other stack has; nothing of any stack is left. Then its
 * deliberately failing test leaves every service's log under target/jstack-logs/ and says where.
 */
class JUnitHelloIT {
  @TempDir Path dir;

  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  /** One test record: which stack a class saw, and when. */
  record Seen(
      long pid,
      String test,
      String scope,
      String project,
      String container,
      int port,
      long began,
      long ended) {
    static Seen parse(String line) {
      String[] f = line.split(" ");
      return new Seen(
          Long.parseLong(f[0]),
          f[1],
          f[2],
          f[3],
          f[4],
          Integer.parseInt(f[5]),
          Long.parseLong(f[6]),
          Long.parseLong(f[7]));
    }
  }

  @BeforeAll
  static void installThisBuildsJars() throws Exception {
    // The example depends on io.jstack:junit as a user's project does: this build's jars go to
    // the local repository now, as `mvn install` would put them there after the tests.
    ThisBuild.install("compose-model", "engine-client", "planner", "embedded-runtime", "junit");
  }

  @ParameterizedTest
  @EnumSource(
      value = StackEngine.class,
      names = {"DOCKER", "EMBEDDED"})
  void sixClassesTwoForksParallel_suiteStackOncePerFork_thenAFailureKeepsEveryLog(StackEngine kind)
      throws Exception {
    Path project = copyExamples(dir);
    Path records = dir.resolve("records.txt");
    try (OwnEngine engine = OwnEngine.start(kind, dir)) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.putAll(engine.env);
      env.put("JSTACK_ENGINE", kind.name().toLowerCase(java.util.Locale.ROOT));
      env.put("CI", "true");
      if (kind == StackEngine.DOCKER) {
        env.put("DOCKER_HOST", "unix://" + OwnEngine.dockerSocket());
      }

      Result run = mvn(project, env, "-Drecords.file=" + records, "verify");
      assertThat(run.code()).as(run.output()).isZero();
      assertThat(run.output()).contains("Tests run: 7, Failures: 0, Errors: 0, Skipped: 0");

      List<Seen> seen =
          Files.readAllLines(records).stream().map(Seen::parse).collect(Collectors.toList());
      assertThat(seen)
          .extracting(Seen::test)
          .containsExactlyInAnyOrder(
              "HomePageIT",
              "HomePageIT",
              "ClientIT",
              "WorkerIT",
              "VolumeIT",
              "OwnStackIT",
              "StoppedWorkerIT");
      Map<Long, List<Seen>> byFork = seen.stream().collect(Collectors.groupingBy(Seen::pid));
      assertThat(byFork).as("Failsafe forks").hasSize(2);
      Set<String> suiteProjects = new TreeSet<>();
      for (List<Seen> fork : byFork.values()) {
        List<Seen> suite = fork.stream().filter(s -> s.scope().equals("suite")).toList();
        if (!suite.isEmpty()) {
          // Started once in this fork: every suite class saw one project, one web container.
          assertThat(suite.stream().map(s -> s.project() + " " + s.container()).distinct())
              .as("the suite stack(s) of fork " + suite.get(0).pid())
              .hasSize(1);
          suiteProjects.add(suite.get(0).project());
        }
      }
      List<Seen> own = seen.stream().filter(s -> s.scope().equals("class")).toList();
      Set<String> projects = new TreeSet<>(suiteProjects);
      own.forEach(s -> projects.add(s.project()));
      // Every stack had a name of its own: one per fork that ran suite classes, one per class.
      assertThat(projects).hasSize(suiteProjects.size() + own.size());
      assertThat(suiteProjects)
          .as("suite stacks (one per fork that ran suite classes)")
          .hasSizeBetween(1, 2);
      // ... and a web port of its own.
      assertThat(
              seen.stream()
                  .collect(Collectors.toMap(Seen::project, Seen::port, (a, b) -> a))
                  .values()
                  .stream()
                  .distinct())
          .hasSize(projects.size());
      // Tests of a fork ran at the same time (Failsafe hands a fork one class at a time: the two
      // methods of HomePageIT).
      assertThat(byFork.values().stream().anyMatch(JUnitHelloIT::overlap))
          .as("two tests of one fork ran at the same time: " + seen)
          .isTrue();
      for (String p : projects) {
        assertThat(engine.resourcesOf(p)).as("left of " + p).isEmpty();
      }

      Result failing = mvn(project, env, "-Dit.test=FailingIT", "verify");
      assertThat(failing.code()).as(failing.output()).isNotZero();
      Path logs = project.resolve("target/jstack-logs/hello.FailingIT/expectsAPageWebDoesNotServe");
      assertThat(failing.output())
          .contains("deliberately failing")
          .containsPattern(
              "jstack: the logs of every service of stack hello-\\S+ are in "
                  + java.util.regex.Pattern.quote(logs.toString())
                  + "/");
      assertThat(Files.readString(logs.resolve("web.log"))).contains("response:200");
      assertThat(logs.resolve("client.log")).exists();
      assertThat(Files.readString(logs.resolve("worker.log"))).contains("tick 1");
      String failed =
          java.util.regex.Pattern.compile("stack (hello-\\S+) are in")
              .matcher(failing.output())
              .results()
              .findFirst()
              .orElseThrow()
              .group(1);
      assertThat(engine.resourcesOf(failed)).isEmpty();
    }
  }

  /** Whether two of {@code fork}'s records overlap in time. */
  static boolean overlap(List<Seen> fork) {
    for (Seen a : fork) {
      for (Seen b : fork) {
        if (a != b && a.began() < b.ended() && b.began() < a.ended()) {
          return true;
        }
      }
    }
    return false;
  }

  record Result(int code, String output) {}

  /** Maven on {@code project}, offline, with this build's local repository. */
  static Result mvn(Path project, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "mvn", "-B", "-o", "-Dmaven.repo.local=" + System.getProperty("jstack.m2.repo")));
    cmd.addAll(List.of(args));
    ProcessBuilder pb =
        new ProcessBuilder(cmd).directory(project.toFile()).redirectErrorStream(true);
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = p.waitFor();
    // Failsafe's reports hold the forks' output (the suppressed "logs are in" line among it).
    Path reports = project.resolve("target/failsafe-reports");
    StringBuilder all = new StringBuilder(out);
    if (Files.isDirectory(reports)) {
      try (Stream<Path> files = Files.list(reports)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".txt")).sorted().toList()) {
          all.append('\n').append(Files.readString(f));
        }
      }
    }
    return new Result(code, all.toString());
  }

  /**
   * Copies examples/hello and examples/junit-hello (which names the former by a relative path)
   * under {@code dir}; returns the copy of examples/junit-hello.
   */
  static Path copyExamples(Path dir) throws IOException {
    Path examples = dir.resolve("examples");
    copy(OwnEngine.repo().resolve("examples/hello"), examples.resolve("hello"));
    copy(OwnEngine.repo().resolve("examples/junit-hello"), examples.resolve("junit-hello"));
    return examples.resolve("junit-hello");
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> all = Files.walk(from)) {
      for (Path p : all.filter(p -> !p.toString().contains("/target")).toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target);
        }
      }
    }
  }
}
