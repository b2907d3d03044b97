package io.jstack.junit.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.testing.NothingLeft;
import io.jstack.junit.StackEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Maven plugin as a user's build runs it: examples/junit-hello with {@code -Pjstack-plugin}
 * (jstack:up before Failsafe, jstack:down after), two Failsafe forks. The plugin's stack is the
 * only suite stack: every suite class of both forks attached to it; classes with stacks of their
 * own kept them. Its endpoints were exported, it is gone after the build, and a failed test makes
 * jstack:down keep every service's logs and say where.
 */
class MavenPluginIT {
  private static final Pattern UP = Pattern.compile("jstack: stack (\\S+) is up");

  @TempDir Path dir;

  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @BeforeAll
  static void installThisBuild() throws Exception {
    ThisBuild.install(
        "compose-model", "engine-client", "planner", "embedded-runtime", "junit", "maven-plugin");
  }

  @ParameterizedTest
  @EnumSource(
      value = StackEngine.class,
      names = {"DOCKER", "EMBEDDED"})
  void upBeforeFailsafe_forksAttach_downAfter_logsKeptOnAFailure(StackEngine kind)
      throws Exception {
    Path project = JUnitHelloIT.copyExamples(dir);
    Path records = dir.resolve("records.txt");
    try (OwnEngine engine = OwnEngine.start(kind, dir)) {
      Map<String, String> env = new HashMap<>(System.getenv());
      env.putAll(engine.env);
      env.put("JSTACK_ENGINE", kind.name().toLowerCase(java.util.Locale.ROOT));
      env.put("CI", "true");

      JUnitHelloIT.Result run =
          JUnitHelloIT.mvn(project, env, "-Pjstack-plugin", "-Drecords.file=" + records, "verify");
      assertThat(run.code()).as(run.output()).isZero();
      Matcher up = UP.matcher(run.output());
      assertThat(up.find()).as(run.output()).isTrue();
      String shared = up.group(1);
      assertThat(run.output())
          .containsPattern("jstack: jstack\\.web\\.8080 = 127\\.0\\.0\\.1:\\d+")
          .contains("jstack: stack " + shared + " is down");

      List<JUnitHelloIT.Seen> seen =
          Files.readAllLines(records).stream()
              .map(JUnitHelloIT.Seen::parse)
              .collect(Collectors.toList());
      assertThat(seen.stream().map(JUnitHelloIT.Seen::pid).distinct()).as("forks").hasSize(2);
      Set<String> suiteProjects =
          seen.stream()
              .filter(s -> s.scope().equals("suite"))
              .map(JUnitHelloIT.Seen::project)
              .collect(Collectors.toSet());
      assertThat(suiteProjects).as("the suite classes of both forks").containsExactly(shared);
      assertThat(
              seen.stream()
                  .filter(s -> s.scope().equals("suite"))
                  .map(JUnitHelloIT.Seen::pid)
                  .distinct())
          .as("suite classes ran in both forks")
          .hasSize(2);
      assertThat(seen.stream().filter(s -> s.scope().equals("class")))
          .isNotEmpty()
          .allSatisfy(s -> assertThat(s.project()).isNotEqualTo(shared));
      assertThat(engine.resourcesOf(shared)).as("left of " + shared).isEmpty();
      assertThat(project.resolve("target/jstack/" + shared + ".properties")).doesNotExist();

      JUnitHelloIT.Result failing =
          JUnitHelloIT.mvn(project, env, "-Pjstack-plugin", "-Dit.test=FailingIT", "verify");
      assertThat(failing.code()).as(failing.output()).isNotZero();
      Matcher upAgain = UP.matcher(failing.output());
      assertThat(upAgain.find()).as(failing.output()).isTrue();
      String kept = upAgain.group(1);
      Path logs = project.resolve("target/jstack-logs").resolve(kept);
      assertThat(failing.output())
          .contains(
              "jstack: tests failed; the logs of every service of stack "
                  + kept
                  + " are in "
                  + logs);
      assertThat(Files.readString(logs.resolve("web.log"))).contains("response:200");
      assertThat(logs.resolve("worker.log")).exists();
      assertThat(engine.resourcesOf(kept)).as("left of " + kept).isEmpty();
    }
  }
}
