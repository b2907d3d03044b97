package io.jstack.maven;

import io.jstack.junit.Stack;
import io.jstack.junit.StackException;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Takes down, with their volumes, the stacks {@code jstack:up} started in this build, after the
 * integration tests. When Failsafe reports a failed or broken test, every service's logs are
 * written first, under {@code target/jstack-logs/<project>/}, and the build log says where.
 */
@Mojo(name = "down", defaultPhase = LifecyclePhase.POST_INTEGRATION_TEST, threadSafe = true)
public final class DownMojo extends AbstractMojo {
  /** Where jstack:up published its stacks. */
  @Parameter(defaultValue = "${project.build.directory}/jstack", required = true)
  @SuppressWarnings("NullAway.Init")
  File stacksDirectory;

  /** Failsafe's summary, read to tell whether a test failed. */
  @Parameter(
      defaultValue = "${project.build.directory}/failsafe-reports/failsafe-summary.xml",
      required = true)
  @SuppressWarnings("NullAway.Init")
  File summaryFile;

  /** Where the logs of a failed run go. */
  @Parameter(defaultValue = "${project.build.directory}/jstack-logs", required = true)
  @SuppressWarnings("NullAway.Init")
  File logsDirectory;

  private static final Pattern COUNT = Pattern.compile("<(failures|errors)>(\\d+)</\\1>");
  private static final Pattern RESULT = Pattern.compile("result=\"(\\d+)\"");

  @Override
  public void execute() throws MojoExecutionException {
    List<Stack> stacks = BuildStacks.take(stacksDirectory.getAbsolutePath());
    boolean failed = testsFailed(summaryFile.toPath());
    MojoExecutionException error = null;
    for (Stack stack : stacks) {
      try {
        if (failed) {
          Path dir = logsDirectory.toPath().resolve(stack.project());
          stack.dumpLogs(dir);
          getLog()
              .warn(
                  "jstack: tests failed; the logs of every service of stack "
                      + stack.project()
                      + " are in "
                      + dir);
        }
        stack.close();
        Files.deleteIfExists(stacksDirectory.toPath().resolve(stack.project() + ".properties"));
        getLog().info("jstack: stack " + stack.project() + " is down");
      } catch (StackException | IOException e) {
        if (error == null) {
          error = new MojoExecutionException("jstack:down: " + e.getMessage(), e);
        } else {
          error.addSuppressed(e);
        }
      }
    }
    if (error != null) {
      throw error;
    }
  }

  /** Whether Failsafe's summary reports a failed or broken test (no summary: no). */
  static boolean testsFailed(Path summary) throws MojoExecutionException {
    if (!Files.isRegularFile(summary)) {
      return false;
    }
    String xml;
    try {
      xml = Files.readString(summary, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MojoExecutionException("jstack:down: cannot read " + summary + ": " + e, e);
    }
    Matcher counts = COUNT.matcher(xml);
    while (counts.find()) {
      if (Integer.parseInt(counts.group(2)) > 0) {
        return true;
      }
    }
    Matcher result = RESULT.matcher(xml);
    // 0: passed, 254: no tests; anything else a failure (255) or a broken fork.
    return result.find() && !result.group(1).equals("0") && !result.group(1).equals("254");
  }
}
