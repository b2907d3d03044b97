package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.cli.JstackRunner;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Volumes hold people's data, on each engine: only {@code down -v}, {@code volume rm} and prune
 * remove a named volume, never an external one; recreating, stopping, {@code down} and {@code rm
 * -v} keep it and what is in it. (A volume in use cannot be removed, and prune keeps it:
 * VolumeNetworkCommandsIT.)
 */
class VolumesAreDataIT extends OnEachEngine {

  /** db's anonymous volumes: down without -v leaves them, as Compose's; removed at the end. */
  final java.util.Set<String> anonymous = new java.util.LinkedHashSet<>();

  void up() {
    stack.ok("up", "-d");
    anonymous.addAll(
        stack.dockerLines(
            "inspect",
            "-f",
            "{{range .Mounts}}{{if eq .Destination \"/scratch\"}}{{.Name}}{{end}}{{end}}",
            project + "-db-1"));
  }

  String read(String service) {
    return stack.docker("exec", project + "-" + service + "-1", "cat", "/data/kept.txt").out();
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void namedAndExternalVolumes_keepTheirData_untilRemovedOnPurpose(EngineKind engine)
      throws Exception {
    on(engine);
    String external = project + "-external";
    stack.compose(
        """
        services:
          db:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            environment: {GENERATION: "1"}
            volumes: [data:/data, /scratch]
          archive:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            volumes: [outside:/data]
        volumes:
          data: {}
          outside:
            external: true
            name: %s
        """
            .formatted(external));
    stack.ok("ps"); // The engine runs (on the embedded engine, jstack starts it).
    stack.dockerLines("volume", "create", external);
    stack.onClose(() -> stack.docker("volume", "rm", "-f", external));
    stack.onClose(
        () -> {
          for (String v : anonymous) {
            stack.docker("volume", "rm", "-f", v);
          }
        });
    up();
    stack.docker("exec", project + "-db-1", "sh", "-c", "echo precious > /data/kept.txt");
    stack.docker("exec", project + "-archive-1", "sh", "-c", "echo outside > /data/kept.txt");
    String data = project + "_data";

    // Recreated with a changed setting: the named volume and its file stay.
    stack.compose(
        java.nio.file.Files.readString(stack.composeFile)
            .replace("GENERATION: \"1\"", "GENERATION: \"2\""));
    up();
    assertThat(read("db")).isEqualTo("precious\n");

    // Stopped and removed with rm -v: only the anonymous volume goes.
    stack.ok("stop", "-t", "1", "db");
    stack.ok("rm", "-f", "-v", "db");
    assertThat(stack.dockerLines("volume", "ls", "-q")).contains(data, external);
    up();
    assertThat(read("db")).isEqualTo("precious\n");

    // down keeps every volume; down -v removes the project's named one, never the external one.
    stack.ok("down", "-t", "1");
    assertThat(stack.dockerLines("volume", "ls", "-q")).contains(data, external);
    up();
    assertThat(read("db")).isEqualTo("precious\n");
    JstackRunner.Run downV = stack.run("down", "-v", "-t", "1");
    assertThat(downV.code()).as(downV.err()).isZero();
    assertThat(stack.dockerLines("volume", "ls", "-q")).doesNotContain(data).contains(external);
    assertThat(
            stack
                .docker(
                    "run",
                    "--rm",
                    "-v",
                    external + ":/data",
                    "jstack-examples/busybox:latest",
                    "cat",
                    "/data/kept.txt")
                .out())
        .isEqualTo("outside\n");
  }
}
