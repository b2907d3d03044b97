package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.cli.JstackRunner;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code jstack volume ...}, {@code jstack network ...} and {@code jstack volumes} on each engine,
 * checked through the docker CLI on the same engine: what {@code up} made is listed and inspected
 * as docker lists and inspects it, what is in use is not removed (one line saying why), and prune
 * removes only what nothing uses. On dockerd, which others share, every prune is limited to the
 * test's project by its label.
 */
class VolumeNetworkCommandsIT extends OnEachEngine {
  /** Volumes the test saw without the project's label: removed when the stack closes on dockerd. */
  final Set<String> seen = new LinkedHashSet<>();

  String label() {
    return "label=com.docker.compose.project=" + project;
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void volumesAndNetworks_listedInspectedRemovedAndPruned_asDockerSeesThem(EngineKind engine)
      throws Exception {
    on(engine);
    if (engine == EngineKind.DOCKER) {
      stack.onClose(
          () -> {
            for (String v : seen) {
              Docker.run(null, "docker", "volume", "rm", "-f", v);
            }
          });
    }
    stack.compose(
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            volumes: [data:/data, /scratch]
        volumes:
          data: {}
        """);
    stack.ok("up", "-d");
    String data = project + "_data";
    String network = project + "_default";
    String anonymous =
        stack
            .dockerLines(
                "inspect",
                "-f",
                "{{range .Mounts}}{{if eq .Destination \"/scratch\"}}{{.Name}}{{end}}{{end}}",
                project + "-app-1")
            .get(0);
    seen.add(anonymous);

    // ls and volumes: what up made, as docker lists it.
    assertThat(lines(stack.ok("volume", "ls", "-q", "--filter", label())))
        .containsExactly(data)
        .isEqualTo(stack.dockerLines("volume", "ls", "-q", "--filter", label()));
    assertThat(stack.ok("volume", "ls", "--filter", label()).out())
        .matches("DRIVER +VOLUME NAME\nlocal +" + data + "\n");
    assertThat(lines(stack.ok("volume", "ls", "-q", "--filter", "dangling=false")))
        .contains(data, anonymous);
    assertThat(stack.ok("volumes").out()).matches("DRIVER +VOLUME NAME\nlocal +" + data + "\n");
    assertThat(lines(stack.ok("volumes", "-q", "app"))).containsExactly(data);

    // inspect: docker's JSON, with docker's Mountpoint; a name there is not is a line of its own.
    JsonNode inspected = new ObjectMapper().readTree(stack.ok("volume", "inspect", data).out());
    assertThat(inspected.get(0).path("Name").asText()).isEqualTo(data);
    assertThat(inspected.get(0).path("Mountpoint").asText())
        .isEqualTo(stack.dockerLines("volume", "inspect", "-f", "{{.Mountpoint}}", data).get(0));
    assertThat(stack.ok("volume", "inspect", "-f", "{{.Driver}}", data).out()).isEqualTo("local\n");
    JstackRunner.Run missing = stack.run("volume", "inspect", "no/such");
    assertThat(missing.code()).isEqualTo(1);
    assertThat(missing.err())
        .isEqualTo("jstack: no such volume: no/such (see 'jstack volume ls')\n");
    assertThat(missing.out().strip()).isEqualTo("[ ]");

    // rm of a volume in use: refused, saying what to do; it is still there.
    JstackRunner.Run inUse = stack.run("volume", "rm", data);
    assertThat(inUse.code()).isEqualTo(1);
    assertThat(inUse.err())
        .startsWith("jstack: cannot remove volume " + data + ", a container uses it:")
        .hasLineCount(1);
    assertThat(stack.dockerLines("volume", "ls", "-q")).contains(data);

    // prune: only what nothing uses; anonymous ones only, unless -a.
    String stray = project + "_stray";
    stack.dockerLines("volume", "create", "--label", label().substring(6), stray);
    assertThat(stack.ok("volume", "prune", "-f", "--filter", label()).out())
        .isEqualTo("Total reclaimed space: 0B\n");
    assertThat(stack.dockerLines("volume", "ls", "-q")).contains(stray);
    assertThat(stack.ok("volume", "prune", "-f", "-a", "--filter", label()).out())
        .startsWith("Deleted Volumes:\n" + stray + "\n\nTotal reclaimed space: ");
    assertThat(stack.dockerLines("volume", "ls", "-q")).doesNotContain(stray).contains(data);

    // Networks: ls, inspect, rm and prune, as docker sees them.
    assertThat(lines(stack.ok("network", "ls", "-q", "--filter", label())))
        .hasSize(1)
        .isEqualTo(stack.dockerLines("network", "ls", "-q", "--filter", label()));
    assertThat(stack.ok("network", "ls", "--filter", label()).out())
        .matches("NETWORK ID +NAME +DRIVER +SCOPE\n[0-9a-f]{12} +" + network + " +bridge +local\n");
    JsonNode net = new ObjectMapper().readTree(stack.ok("network", "inspect", network).out());
    assertThat(net.get(0).path("Id").asText())
        .isEqualTo(stack.dockerLines("network", "inspect", "-f", "{{.Id}}", network).get(0));
    assertThat(net.get(0).path("Containers").size()).isEqualTo(1);
    JstackRunner.Run attached = stack.run("network", "rm", network);
    assertThat(attached.code()).isEqualTo(1);
    assertThat(attached.err())
        .startsWith("jstack: cannot remove network " + network)
        .hasLineCount(1);
    for (String n : List.of("_spare", "_unused")) {
      stack.dockerLines("network", "create", "--label", label().substring(6), project + n);
    }
    assertThat(stack.ok("network", "rm", project + "_spare").out()).isEqualTo(project + "_spare\n");
    assertThat(stack.ok("network", "prune", "-f", "--filter", label()).out())
        .isEqualTo("Deleted Networks:\n" + project + "_unused\n\n");
    assertThat(stack.dockerLines("network", "ls", "--format", "{{.Name}}"))
        .contains(network)
        .doesNotContain(project + "_spare", project + "_unused");
    JstackRunner.Run gone = stack.run("network", "rm", project + "_spare");
    assertThat(gone.err())
        .isEqualTo("jstack: no such network: " + project + "_spare (see 'jstack network ls')\n");

    // Once down, the volumes are no container's: removed, by prune (of the anonymous one, on the
    // test's own engine only) and by rm.
    stack.ok("down");
    if (engine == EngineKind.EMBEDDED) {
      assertThat(stack.ok("volume", "prune", "-f").out())
          .startsWith("Deleted Volumes:\n" + anonymous + "\n\nTotal reclaimed space: ");
      assertThat(stack.ok("volume", "rm", data).out()).isEqualTo(data + "\n");
    } else {
      assertThat(lines(stack.ok("volume", "rm", anonymous, data))).containsExactly(anonymous, data);
    }
    assertThat(stack.dockerLines("volume", "ls", "-q")).doesNotContain(data, anonymous);
    assertThat(stack.ok("volumes").out()).isEqualTo("DRIVER   VOLUME NAME\n");
  }

  private static List<String> lines(JstackRunner.Run r) {
    return r.out().lines().filter(l -> !l.isBlank()).toList();
  }
}
