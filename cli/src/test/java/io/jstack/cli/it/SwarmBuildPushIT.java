package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerSwarm;
import io.jstack.engine.testing.NothingLeft;
import io.jstack.engine.testing.image.LocalRegistry;
import io.jstack.engine.testing.swarm.SwarmRig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jstack --engine swarm up --build --push} on the real two-node swarm, with a real registry
 * on the nodes' subnet: the image is built on the manager, pushed to the registry its name gives,
 * and the global service runs it on both nodes by the pushed digest (the worker pulls it from the
 * registry); built and pushed again unchanged, the digest is the same and the plan empty.
 */
class SwarmBuildPushIT {
  static final String IMAGE = "jstack-examples/busybox:latest";

  @TempDir Path dir;
  @RegisterExtension final NothingLeft nothingLeft = NothingLeft.under(() -> dir);

  @Test
  void buildPush_runsThePushedDigestOnEveryNode() throws Exception {
    Docker.requireExampleImage();
    Files.writeString(
        dir.resolve("Dockerfile"),
        """
        FROM jstack-examples/busybox:latest
        RUN echo built by the manager > /built.txt
        """);
    SwarmRig rig = SwarmRig.start(List.of(IMAGE));
    try (LocalRegistry registry = rig.registry();
        DockerSwarm swarm = DockerSwarm.connect(EngineAddress.parse(rig.manager().dockerHost()))) {
      String image = registry.host + "/crew/app:1";
      Path file = dir.resolve("compose.yaml");
      Files.writeString(
          file,
          """
          services:
            app:
              build: .
              image: %s
              command: ["sh", "-c", "cat /built.txt; exec sleep 3600"]
              init: true
              deploy: {mode: global, endpoint_mode: dnsrr}
          """
              .formatted(image));
      JstackRunner jstack = new JstackRunner(Map.of("HOME", dir.toString()));
      String[] base = {
        "-H", rig.manager().dockerHost(), "--engine", "swarm", "-p", "crew", "-f", file.toString()
      };

      // Without --push there is nothing the worker could pull: a usage error.
      JstackRunner.Run alone = jstack.run(base, "up", "--build");
      assertThat(alone.code()).isEqualTo(2);
      assertThat(alone.err()).contains("--build only with --push");

      JstackRunner.Run dry = jstack.run(base, "up", "--build", "--push", "--dry-run");
      assertThat(dry.out().lines())
          .startsWith(
              "1. build service app on the manager and push "
                  + image
                  + " (--build --push: then run by the pushed digest)",
              "2. create network crew_default (no network)",
              "3. create service crew_app (no service)");
      assertThat(dry.err()).doesNotContain("build: is not run");

      JstackRunner.Run up = jstack.run(base, "up", "--build", "--push", "--wait");
      assertThat(up.code()).as(up.err()).isZero();
      Matcher pushed =
          Pattern.compile("Pushed (" + Pattern.quote(image) + "@sha256:[0-9a-f]{64})")
              .matcher(up.out());
      assertThat(pushed.find()).as(up.out()).isTrue();
      String pinned = pushed.group(1);
      assertThat(up.err()).doesNotContain("build: is not run");
      assertThat(up.out()).contains("stack crew converged");

      DockerSwarm.Service app = swarm.service("crew_app").orElseThrow();
      assertThat(app.spec().path("TaskTemplate").path("ContainerSpec").path("Image").asText())
          .isEqualTo(pinned);
      assertThat(app.labels()).containsEntry("com.docker.stack.image", image);
      // One task per node, each running the pushed digest; the worker pulled it.
      List<DockerSwarm.Task> running =
          swarm.tasks(app.id()).stream().filter(t -> t.state().equals("running")).toList();
      assertThat(running).hasSize(2).extracting(DockerSwarm.Task::nodeId).doesNotHaveDuplicates();
      for (SwarmRig.Node node : rig.nodes()) {
        String container =
            SwarmRig.must(
                    node, "ps", "-q", "--filter", "label=com.docker.swarm.service.name=crew_app")
                .strip();
        String ran = SwarmRig.must(node, "inspect", "--format", "{{.Image}}", container).strip();
        String digestImage =
            SwarmRig.must(node, "image", "inspect", "--format", "{{.Id}}", pinned).strip();
        assertThat(ran).as("the image node " + node.name() + " runs").isEqualTo(digestImage);
      }
      assertThat(
              SwarmRig.must(
                  rig.worker(),
                  "image",
                  "inspect",
                  "--format",
                  "{{join .RepoDigests \" \"}}",
                  pinned))
          .contains(pinned.substring(pinned.indexOf('@')));
      assertThat(jstack.run(base, "logs", "--no-log-prefix").out().lines())
          .containsExactly("built by the manager", "built by the manager");

      // Unchanged: built from the cache, the same digest, nothing to update.
      JstackRunner.Run again = jstack.run(base, "up", "--build", "--push");
      assertThat(again.code()).as(again.err()).isZero();
      assertThat(again.out()).contains("Pushed " + pinned, "nothing to do");

      JstackRunner.Run down = jstack.run(base, "down");
      assertThat(down.code()).as(down.err()).isZero();
    } finally {
      rig.close();
    }
  }
}
