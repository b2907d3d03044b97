package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.jstack.cli.JstackProcess;
import io.jstack.engine.ContainerInfo;
import io.jstack.engine.Engine;
import io.jstack.runtime.Engines;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jstack watch} on each engine: synced edits seen in the container within a second, deletes
 * and ignores, a target on a named volume, a link the container planted that cannot lead out of its
 * root, one restart per batch for sync+restart, and a rebuild that recreates only its service.
 */
class WatchIT extends OnEachEngine {
  static final int EDITS = 20;

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void watch_syncsRestartsAndRebuilds_asTheRulesSay(EngineKind engine) throws Exception {
    on(engine);
    Path home = stack.composeFile.getParent();
    Files.createDirectories(home.resolve("src"));
    Files.createDirectories(home.resolve("vol"));
    Files.createDirectories(home.resolve("conf"));
    Files.createDirectories(home.resolve("ctx"));
    Files.writeString(home.resolve("ctx/hello.txt"), "first\n");
    Files.writeString(
        home.resolve("ctx/Dockerfile"),
        "FROM jstack-examples/busybox:latest\nCOPY hello.txt /hello.txt\n");
    Path escape = Path.of("/escape-" + project + ".txt");
    stack.compose(
        """
        services:
          web:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            volumes: ["data:/data"]
            develop:
              watch:
                - {path: ./src, target: /app, action: sync, ignore: ["*.tmp"]}
                - {path: ./vol, target: /data/synced, action: sync}
          restarter:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            develop:
              watch:
                - {path: ./conf, target: /etc/app, action: sync+restart}
          built:
            build: ./ctx
            image: %s-built:watch
            command: ["sleep", "3600"]
            init: true
            develop:
              watch:
                - {path: ./ctx, action: rebuild}
        volumes:
          data: {}
        """
            .formatted(project));
    Map<String, String> env =
        Map.of("DOCKER_HOST", "unix://" + stack.socket(), "HOME", dir.toString());
    // The engine started by the test's JVM, not by the watch process: closing that process ends
    // what it started.
    stack.ok("ps");
    try (JstackProcess.Running watch = stack.start("watch")) {
      await().atMost(Duration.ofMinutes(3)).until(() -> watch.output().contains("Watch enabled"));
      Engine client = Engines.open(Engines.Kind.docker, env);
      try {
        exercise(engine, watch, client, home, escape);
      } finally {
        if (client instanceof AutoCloseable c) {
          c.close();
        }
      }
    } finally {
      Files.deleteIfExists(escape);
      if (engine == EngineKind.DOCKER) {
        Docker.run(null, "docker", "image", "rm", "-f", project + "-built:watch");
      }
    }
  }

  /** {@code up --watch}: the logs followed, and the rules applied meanwhile. */
  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void upWatch_followsTheLogs_andSyncs(EngineKind engine) throws Exception {
    on(engine);
    Path home = stack.composeFile.getParent();
    Files.createDirectories(home.resolve("src"));
    stack.compose(
        """
        services:
          web:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "echo started; exec sleep 3600"]
            init: true
            develop:
              watch:
                - {path: ./src, target: /app, action: sync}
        """);
    stack.ok("ps");
    try (JstackProcess.Running up = stack.start("up", "--watch")) {
      await()
          .atMost(Duration.ofMinutes(2))
          .until(() -> up.output().contains("Watch enabled") && up.output().contains("started"));
      Files.writeString(home.resolve("src/page.html"), "synced\n");
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () ->
                  stack
                      .docker("exec", project + "-web-1", "cat", "/app/page.html")
                      .out()
                      .equals("synced\n"));
      assertThat(up.output()).contains("Syncing service \"web\"");
    }
    assertThat(stack.run("up", "-d", "--watch").code()).isEqualTo(2);
  }

  private void exercise(
      EngineKind engine, JstackProcess.Running watch, Engine client, Path home, Path escape)
      throws Exception {
    String web = id(client, "web");

    // Edits: each seen in the container, polled every 50 ms.
    List<Long> millis = new ArrayList<>();
    for (int i = 0; i < EDITS; i++) {
      String content = "edit " + i + "\n";
      long began = System.nanoTime();
      Files.writeString(home.resolve("src/a.txt"), content);
      await()
          .pollInterval(Duration.ofMillis(50))
          .atMost(Duration.ofSeconds(20))
          .until(() -> content.equals(cat(client, web, "/app/a.txt")));
      millis.add((System.nanoTime() - began) / 1_000_000);
    }
    Collections.sort(millis);
    long median = millis.get(EDITS / 2);
    System.out.println(
        "watch ("
            + engine
            + "): edit to visible, median of "
            + EDITS
            + ": "
            + median
            + " ms "
            + millis);
    assertThat(median).as("median ms from edit to visible").isLessThan(1000);

    // An ignored file never syncs; a deleted one goes.
    Files.writeString(home.resolve("src/skip.tmp"), "no\n");
    Files.writeString(home.resolve("src/b.txt"), "b\n");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "b\n".equals(cat(client, web, "/app/b.txt")));
    assertThat(cat(client, web, "/app/skip.tmp")).isNull();
    Files.delete(home.resolve("src/a.txt"));
    await().atMost(Duration.ofSeconds(20)).until(() -> cat(client, web, "/app/a.txt") == null);

    // A target on a named volume.
    Files.writeString(home.resolve("vol/v.txt"), "in the volume\n");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "in the volume\n".equals(cat(client, web, "/data/synced/v.txt")));

    // The container turns a synced directory into a link to /: what is synced below it stays
    // in the container.
    exec(client, web, "ln", "-s", "/", "/app/link");
    Files.createDirectories(home.resolve("src/link"));
    Files.writeString(home.resolve("src/link/" + escape.getFileName()), "escaped?\n");
    Files.writeString(home.resolve("src/after-link.txt"), "after\n");
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> "after\n".equals(cat(client, web, "/app/after-link.txt")));
    assertThat(escape).as("written on the host through the container's link").doesNotExist();

    // sync+restart: one batch of three files, one restart.
    String restarter = id(client, "restarter");
    String startedBefore = startedAt(client, restarter);
    for (String f : List.of("one", "two", "three")) {
      Files.writeString(home.resolve("conf/" + f + ".conf"), f + "\n");
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(() -> watch.output().contains("Restarted service \"restarter\""));
    assertThat(cat(client, restarter, "/etc/app/three.conf")).isEqualTo("three\n");
    assertThat(startedAt(client, restarter)).isNotEqualTo(startedBefore);
    Thread.sleep(1000);
    assertThat(watch.output().split("Restarted service \"restarter\"", -1)).hasSize(2);

    // rebuild: only built's container is made anew, with the new file.
    String built = id(client, "built");
    Files.writeString(home.resolve("ctx/hello.txt"), "second\n");
    await()
        .atMost(Duration.ofMinutes(2))
        .until(() -> watch.output().contains("successfully built"));
    await().atMost(Duration.ofSeconds(30)).until(() -> !id(client, "built").equals(built));
    assertThat(cat(client, id(client, "built"), "/hello.txt")).isEqualTo("second\n");
    assertThat(id(client, "web")).isEqualTo(web);
    assertThat(id(client, "restarter")).isEqualTo(restarter);
    assertThat(watch.output()).doesNotContain("failed");
  }

  private String id(Engine client, String service) {
    return client
        .containers(
            Map.of("com.docker.compose.project", project, "com.docker.compose.service", service))
        .stream()
        .filter(ContainerInfo::isRunning)
        .findFirst()
        .orElseThrow()
        .id();
  }

  private String startedAt(Engine client, String id) {
    return stack.dockerLines("inspect", "-f", "{{.State.StartedAt}}", id).get(0);
  }

  /** The file's content in the container, or null when it is not there. */
  private static String cat(Engine client, String id, String path) {
    Engine.ExecResult r = exec(client, id, "cat", path);
    return r.exitCode() == 0 ? new String(r.stdout(), StandardCharsets.UTF_8) : null;
  }

  private static Engine.ExecResult exec(Engine client, String id, String... command) {
    return client.exec(
        id,
        new Engine.ExecSpec(List.of(command), List.of(), null, null, false, false),
        (byte[]) null);
  }
}
