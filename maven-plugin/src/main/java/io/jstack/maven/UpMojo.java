package io.jstack.maven;

import io.jstack.junit.Endpoint;
import io.jstack.junit.SharedStacks;
import io.jstack.junit.Stack;
import io.jstack.junit.StackEngine;
import io.jstack.junit.StackException;
import io.jstack.junit.StackSpec;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.jspecify.annotations.Nullable;

/**
 * Brings a compose stack up before the integration tests (as {@code jstack up --wait}, on free host
 * ports unless told otherwise), exports where each published port went as Maven properties ({@code
 * jstack.<service>.<port>} = {@code host:port}, with {@code .host} and {@code .port}) and a
 * properties file, and hands the stack to every Failsafe fork: a test's {@code @JStack} or {@code
 * StackSpec} of the same files attaches to it instead of starting its own.
 */
@Mojo(name = "up", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public final class UpMojo extends AbstractMojo {
  @Parameter(defaultValue = "${project}", readonly = true, required = true)
  @SuppressWarnings("NullAway.Init")
  MavenProject project;

  @Parameter(defaultValue = "${session}", readonly = true, required = true)
  @SuppressWarnings("NullAway.Init")
  MavenSession session;

  /** The compose files, merged in order (default: compose.yaml in the project's directory). */
  @Parameter(property = "jstack.files")
  @Nullable List<File> files;

  /** The profiles to enable. */
  @Parameter(property = "jstack.profiles")
  @Nullable List<String> profiles;

  /** Variables for interpolation, over the environment. */
  @Parameter @Nullable Map<String, String> env;

  /** The base of the project name (a unique suffix is added). */
  @Parameter(property = "jstack.projectName")
  @Nullable String projectName;

  /**
   * AUTO (jstack.engine / JSTACK_ENGINE, else Docker when DOCKER_HOST is set), EMBEDDED, DOCKER.
   */
  @Parameter(property = "jstack.stackEngine", defaultValue = "AUTO")
  StackEngine engine = StackEngine.AUTO;

  /** Publish every fixed host port of the files on a free port instead. */
  @Parameter(property = "jstack.freePorts", defaultValue = "true")
  boolean freePorts = true;

  /** How long starting may take, as an ISO-8601 duration. */
  @Parameter(property = "jstack.timeout", defaultValue = "PT2M")
  String timeout = "PT2M";

  /** Where the stack is published for the test JVMs (and for jstack:down). */
  @Parameter(defaultValue = "${project.build.directory}/jstack", required = true)
  @SuppressWarnings("NullAway.Init")
  File stacksDirectory;

  /** The prefix of the exported properties. */
  @Parameter(property = "jstack.propertyPrefix", defaultValue = "jstack")
  String propertyPrefix = "jstack";

  /** Skip, as Failsafe's skipITs does. */
  @Parameter(property = "skipITs", defaultValue = "false")
  boolean skipITs;

  /** Skip this goal. */
  @Parameter(property = "jstack.skip", defaultValue = "false")
  boolean skip;

  @Override
  public void execute() throws MojoExecutionException {
    if (skip || skipITs) {
      getLog().info("jstack: skipped");
      return;
    }
    StackSpec spec = spec();
    Stack stack;
    try {
      stack = spec.start();
    } catch (StackException | IllegalArgumentException e) {
      throw new MojoExecutionException("jstack:up: " + e.getMessage(), e);
    }
    BuildStacks.add(stacksDirectory.getAbsolutePath(), stack);
    Path file;
    try {
      file = SharedStacks.publish(stack, spec, stacksDirectory.toPath());
    } catch (StackException e) {
      throw new MojoExecutionException("jstack:up: " + e.getMessage(), e);
    }
    Properties props = project.getProperties();
    props.setProperty(propertyPrefix + ".project", stack.project());
    stack
        .endpoints()
        .forEach(
            (service, ports) -> ports.forEach((port, e) -> export(props, service + "." + port, e)));
    // Failsafe hands the session's user properties to its forks as system properties.
    session
        .getUserProperties()
        .setProperty(SharedStacks.PROPERTY, stacksDirectory.getAbsolutePath());
    getLog().info("jstack: stack " + stack.project() + " is up; its endpoints are in " + file);
  }

  private void export(Properties props, String key, Endpoint e) {
    props.setProperty(propertyPrefix + "." + key, e.authority());
    props.setProperty(propertyPrefix + "." + key + ".host", e.host());
    props.setProperty(propertyPrefix + "." + key + ".port", Integer.toString(e.port()));
    getLog().info("jstack: " + propertyPrefix + "." + key + " = " + e.authority());
  }

  private StackSpec spec() throws MojoExecutionException {
    List<Path> paths = new ArrayList<>();
    if (files == null || files.isEmpty()) {
      paths.add(project.getBasedir().toPath().resolve("compose.yaml"));
    } else {
      files.forEach(f -> paths.add(f.toPath()));
    }
    Duration limit;
    try {
      limit = Duration.parse(timeout);
    } catch (DateTimeParseException e) {
      throw new MojoExecutionException(
          "jstack:up: timeout \"" + timeout + "\" is not an ISO-8601 duration; write e.g. PT2M", e);
    }
    return StackSpec.of(paths.toArray(Path[]::new))
        .withProfiles(profiles == null ? new String[0] : profiles.toArray(String[]::new))
        .withEnv(env == null ? Map.of() : env)
        .withProjectName(projectName)
        .withEngine(engine)
        .withFreePorts(freePorts)
        .withTimeout(limit);
  }
}
