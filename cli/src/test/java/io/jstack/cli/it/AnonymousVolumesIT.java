package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Anonymous volumes across recreation, on each engine, as Docker Compose v2 keeps them: {@code up}
 * after a change hands the old container's anonymous volumes (of a {@code volumes: [/data]} entry
 * and of an image's {@code VOLUME}) to the new one; {@code up -V} gives fresh ones and removes the
 * old; {@code down -v} removes them all.
 */
class AnonymousVolumesIT extends OnEachEngine {
  static final List<String> SERVICES = List.of("entry", "image");

  /** Every volume the test saw: removed when the stack closes on dockerd, whatever happened. */
  final Set<String> seen = new LinkedHashSet<>();

  static String compose(int generation) {
    return """
        services:
          entry:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            environment: {GENERATION: "%1$d"}
            volumes: [/data]
          image:
            build: ./withvolume
            command: ["sleep", "3600"]
            init: true
            environment: {GENERATION: "%1$d"}
        """
        .formatted(generation);
  }

  String container(String service) {
    return project + "-" + service + "-1";
  }

  /** The names of the volumes {@code service}'s container mounts, each with its destination. */
  List<String> volumeMounts(String service) {
    List<String> out =
        stack
            .dockerLines(
                "inspect",
                "-f",
                "{{range .Mounts}}{{if eq .Type \"volume\"}}{{.Name}} {{.Destination}}\n"
                    + "{{end}}{{end}}",
                container(service))
            .stream()
            .toList();
    out.forEach(m -> seen.add(m.split(" ")[0]));
    return out;
  }

  boolean volumeExists(String name) {
    return stack.docker("volume", "inspect", name).code() == 0;
  }

  String id(String service) {
    return stack.dockerLines("inspect", "-f", "{{.Id}}", container(service)).get(0);
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void recreation_keepsAnonymousVolumes_renewReplacesThem_downRemovesThem(EngineKind engine)
      throws Exception {
    on(engine);
    if (engine == EngineKind.DOCKER) {
      // rm -v keeps a volume a container was given by name: these would outlive a failed test.
      stack.onClose(
          () -> {
            for (String v : seen) {
              Docker.run(null, "docker", "volume", "rm", "-f", v);
            }
            Docker.run(null, "docker", "rmi", "-f", project + "-image");
          });
    }
    Files.createDirectories(dir.resolve("withvolume"));
    Files.writeString(
        dir.resolve("withvolume/Dockerfile"),
        "FROM jstack-examples/busybox:latest\nVOLUME /data\n");
    stack.compose(compose(1));
    stack.ok("up", "-d");
    List<String> first = new ArrayList<>();
    for (String s : SERVICES) {
      List<String> mounts = volumeMounts(s);
      assertThat(mounts).as(s).hasSize(1).allMatch(m -> m.matches("[0-9a-f]{64} /data"));
      first.add(mounts.get(0));
      stack.dockerLines("exec", container(s), "sh", "-c", "echo kept-" + s + " > /data/f");
    }

    // A change of configuration: new containers, the same volumes, the data still there.
    String before = id("entry");
    stack.compose(compose(2));
    stack.ok("up", "-d");
    assertThat(id("entry")).isNotEqualTo(before);
    for (int i = 0; i < SERVICES.size(); i++) {
      String s = SERVICES.get(i);
      assertThat(volumeMounts(s)).as(s).containsExactly(first.get(i));
      assertThat(stack.dockerLines("exec", container(s), "cat", "/data/f"))
          .containsExactly("kept-" + s);
    }
    if (engine == EngineKind.EMBEDDED) {
      // The engine is the test's own: no volume but these two.
      assertThat(stack.dockerLines("volume", "ls", "-q"))
          .containsExactlyInAnyOrder(
              first.stream().map(m -> m.split(" ")[0]).toArray(String[]::new));
    }

    // -V: fresh, empty volumes; the old ones removed with the old containers.
    stack.compose(compose(3));
    stack.ok("up", "-d", "-V");
    List<String> renewed = new ArrayList<>();
    for (int i = 0; i < SERVICES.size(); i++) {
      String s = SERVICES.get(i);
      List<String> mounts = volumeMounts(s);
      assertThat(mounts).as(s).hasSize(1).doesNotContain(first.get(i));
      renewed.add(mounts.get(0).split(" ")[0]);
      assertThat(stack.docker("exec", container(s), "ls", "/data").out()).as(s).isEmpty();
      assertThat(volumeExists(first.get(i).split(" ")[0])).as("old volume of " + s).isFalse();
    }

    // Taken over once more, then down -v: every one of them gone.
    stack.compose(compose(4));
    stack.ok("up", "-d");
    for (int i = 0; i < SERVICES.size(); i++) {
      assertThat(volumeMounts(SERVICES.get(i))).containsExactly(renewed.get(i) + " /data");
    }
    String down = stack.ok("down", "-v", "-t", "1").out();
    assertThat(down).contains(" Volume " + renewed.get(0) + "  Removed");
    for (String v : seen) {
      assertThat(volumeExists(v)).as("volume " + v + " after down -v").isFalse();
    }
    if (engine == EngineKind.EMBEDDED) {
      assertThat(stack.dockerLines("volume", "ls", "-q")).isEmpty();
    }
  }
}
