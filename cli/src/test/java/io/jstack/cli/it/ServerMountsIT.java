package io.jstack.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.cli.JstackRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What real servers (PostgreSQL, Redis, nginx) need of the engine beyond busybox's defaults, the
 * same on each engine, each checked inside the container and with the docker CLI against the
 * engine: tmpfs with their options and {@code /dev/shm} with its size, the anonymous volume an
 * image's {@code VOLUME} gets (filled from the image, removed by {@code down -v}), stop signals and
 * grace periods, and a root process dropping to another user under the default capabilities.
 * Expected values are what dockerd 20.10 shows for the same compose file.
 */
class ServerMountsIT extends OnEachEngine {

  private String container(String service) {
    return project + "-" + service + "-1";
  }

  private String exec(String service, String script) {
    Docker.Result r = stack.docker("exec", container(service), "sh", "-c", script);
    assertThat(r.code()).as(script + ": " + r.err()).isZero();
    return r.out();
  }

  private JstackRunner.Run ok(String... args) {
    return stack.ok(args);
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void tmpfsAndShm_areMountedWithTheirOptions(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          db:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
            shm_size: 32m
            tmpfs:
              - /run:size=10m,mode=0750
              - /tmp
            volumes:
              - type: tmpfs
                target: /cache
                read_only: true
                tmpfs:
                  size: 5m
                  mode: 0700
          plain:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
        """);
    ok("up", "-d");

    assertThat(exec("db", "grep -E ' /(run|tmp|cache|dev/shm) ' /proc/mounts | sort").lines())
        .containsExactly(
            "shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=32768k 0 0",
            "tmpfs /cache tmpfs ro,nosuid,nodev,noexec,relatime,size=5120k,mode=700 0 0",
            "tmpfs /run tmpfs rw,nosuid,nodev,noexec,relatime,size=10240k,mode=750 0 0",
            "tmpfs /tmp tmpfs rw,nosuid,nodev,noexec,relatime 0 0");
    assertThat(exec("db", "stat -c '%n %a' /run /tmp /cache /dev/shm").lines())
        .containsExactly("/run 750", "/tmp 1777", "/cache 700", "/dev/shm 1777");
    assertThat(exec("db", "df -k /run /cache /dev/shm | awk 'NR > 1 {print $6, $2}'").lines())
        .containsExactly("/run 10240", "/cache 5120", "/dev/shm 32768");
    assertThat(exec("db", "touch /cache/x 2>&1; echo $?"))
        .as("a read-only tmpfs")
        .contains("Read-only file system")
        .endsWith("1\n");
    assertThat(exec("db", "cp /bin/busybox /tmp/bb && /tmp/bb true 2>&1; echo $?"))
        .as("noexec, as dockerd's default")
        .contains("Permission denied");
    // PostgreSQL's dynamic shared memory (posix) lives in /dev/shm: 64 MiB by default.
    assertThat(exec("plain", "grep ' /dev/shm ' /proc/mounts"))
        .isEqualTo("shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0\n");
    assertThat(stack.dockerLines("inspect", "-f", "{{.HostConfig.ShmSize}}", container("plain")))
        .containsExactly("67108864");
    assertThat(
            stack.dockerLines(
                "inspect",
                "-f",
                "{{json .HostConfig.Tmpfs}} {{.HostConfig.ShmSize}}",
                container("db")))
        .containsExactly("{\"/run\":\"size=10m,mode=0750\",\"/tmp\":\"\"} 33554432");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void badTmpfsOption_failsUpInOneLine_namingTheServiceAndOption(EngineKind engine)
      throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          db:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            tmpfs:
              - /run:size=1m,colour=blue
        """);

    JstackRunner.Run up = stack.run("up", "-d");

    assertThat(up.code()).isNotZero();
    List<String> lines = up.err().lines().filter(l -> l.startsWith("jstack: ")).toList();
    assertThat(lines).hasSize(1);
    assertThat(lines.get(0)).contains("(service db)").contains("colour");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void badStopSignal_failsUpInOneLine_namingTheServiceAndSignal(EngineKind engine)
      throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          db:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            stop_signal: SIGFOO
        """);

    JstackRunner.Run up = stack.run("up", "-d");

    assertThat(up.code()).isNotZero();
    List<String> lines = up.err().lines().filter(l -> l.startsWith("jstack: ")).toList();
    assertThat(lines).hasSize(1);
    // dockerd: "Invalid signal: SIGFOO".
    assertThat(lines.get(0)).contains("(service db)").containsIgnoringCase("signal: SIGFOO");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void imageVolume_getsAnAnonymousVolumeWithTheImagesFiles_andDownVRemovesIt(EngineKind engine)
      throws Exception {
    on(engine);
    Path ctx = Files.createDirectories(dir.resolve("db"));
    Files.writeString(
        ctx.resolve("Dockerfile"),
        """
        FROM jstack-examples/busybox:latest
        RUN mkdir -p /data && echo seeded > /data/seed && chown -R 1000:1000 /data \\
            && chmod 0750 /data
        VOLUME /data
        STOPSIGNAL SIGINT
        CMD ["sh", "-c", "trap 'echo got INT; exit 3' INT; trap 'echo got TERM; exit 4' TERM; \
        while true; do sleep 0.1; done"]
        """);
    String image = project + "-db:1";
    if (engine == EngineKind.DOCKER) {
      stack.onClose(() -> Docker.run(null, "docker", "rmi", "-f", image));
    }
    stack.compose(
        """
        services:
          db:
            image: %s
            build: ./db
          named:
            image: %s
            volumes: ["data:/data"]
        volumes:
          data:
        """
            .formatted(image, image));
    ok("up", "-d", "--build");

    assertThat(
            exec("db", "cat /data/seed; stat -c '%a %u %g' /data; grep -c ' /data ' /proc/mounts"))
        .isEqualTo("seeded\n750 1000 1000\n1\n");
    assertThat(exec("named", "cat /data/seed; stat -c '%a %u' /data"))
        .as("an empty named volume is filled from the image too")
        .isEqualTo("seeded\n750 1000\n");
    JsonNode mounts =
        new ObjectMapper()
            .readTree(
                stack.dockerLines("inspect", "-f", "{{json .Mounts}}", container("db")).get(0));
    assertThat(mounts).hasSize(1);
    assertThat(mounts.get(0).path("Type").asText()).isEqualTo("volume");
    assertThat(mounts.get(0).path("Destination").asText()).isEqualTo("/data");
    String volume = mounts.get(0).path("Name").asText();
    assertThat(volume).matches("[0-9a-f]{64}");
    assertThat(stack.dockerLines("volume", "inspect", "-f", "{{.Name}}", volume))
        .containsExactly(volume);
    assertThat(
            stack.dockerLines(
                "inspect",
                "-f",
                "{{.Config.StopSignal}} {{json .Config.Volumes}}",
                container("db")))
        .containsExactly("SIGINT {\"/data\":{}}");

    // docker run -v /scratch asks for an anonymous volume in Config.Volumes, beside the image's.
    assertThat(
            stack.dockerLines(
                "run",
                "--rm",
                "-v",
                "/scratch",
                image,
                "sh",
                "-c",
                "grep -cE ' /(scratch|data) ' /proc/mounts; cat /data/seed"))
        .containsExactly("2", "seeded");

    ok("stop", "db");
    assertThat(stack.dockerLines("logs", container("db"))).containsExactly("got INT");
    assertThat(stack.dockerLines("inspect", "-f", "{{.State.ExitCode}}", container("db")))
        .as("the image's STOPSIGNAL, not SIGTERM")
        .containsExactly("3");

    ok("down", "-v");
    assertThat(stack.docker("volume", "inspect", volume).code())
        .as("down -v removes the anonymous volume")
        .isNotZero();
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void stopSignalAndGracePeriod_areHonoured_thenSigkill(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          stubborn:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "trap 'echo got USR1' USR1; while true; do sleep 0.1; done"]
            stop_signal: SIGUSR1
            stop_grace_period: 2s
          polite:
            image: jstack-examples/busybox:latest
            command: ["sh", "-c", "trap 'echo got INT; exit 3' INT; while true; do sleep 0.1; done"]
            stop_signal: SIGINT
        """);
    ok("up", "-d");
    assertThat(
            stack.dockerLines(
                "inspect",
                "-f",
                "{{.Config.StopSignal}} {{.Config.StopTimeout}}",
                container("stubborn")))
        .containsExactly("SIGUSR1 2");

    long start = System.nanoTime();
    ok("stop", "stubborn");
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    assertThat(took)
        .as("SIGKILL after stop_grace_period")
        .isBetween(Duration.ofSeconds(2), Duration.ofSeconds(8));
    assertThat(stack.dockerLines("logs", container("stubborn"))).containsExactly("got USR1");
    assertThat(stack.dockerLines("inspect", "-f", "{{.State.ExitCode}}", container("stubborn")))
        .containsExactly("137");

    // The docker CLI gives no timeout: the engine takes the container's own (2 s, not 10 s).
    ok("start", "stubborn");
    start = System.nanoTime();
    assertThat(stack.docker("stop", container("stubborn")).code()).isZero();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(8));

    start = System.nanoTime();
    ok("stop", "polite");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    assertThat(stack.dockerLines("logs", container("polite"))).containsExactly("got INT");
    assertThat(stack.dockerLines("inspect", "-f", "{{.State.ExitCode}}", container("polite")))
        .containsExactly("3");
  }

  @ParameterizedTest
  @EnumSource(EngineKind.class)
  void rootDropsToAnotherUser_underTheDefaultCapabilities(EngineKind engine) throws Exception {
    on(engine);
    stack.compose(
        """
        services:
          app:
            image: jstack-examples/busybox:latest
            command: ["sleep", "3600"]
            init: true
        """);
    ok("up", "-d");

    // dockerd's 14 default capabilities, none inheritable or ambient; no_new_privileges off.
    assertThat(exec("app", "grep -E '^(Cap(Inh|Prm|Eff|Bnd|Amb)|NoNewPrivs):' /proc/self/status"))
        .isEqualTo(
            """
            CapInh:\t0000000000000000
            CapPrm:\t00000000a80425fb
            CapEff:\t00000000a80425fb
            CapBnd:\t00000000a80425fb
            CapAmb:\t0000000000000000
            NoNewPrivs:\t0
            """);
    // What an entrypoint does to run its server as its own user (su/runuser/setpriv switch the
    // same way: setgroups, setgid, setuid).
    assertThat(
            exec(
                "app",
                "su -s /bin/sh nobody -c 'id; grep -E \"^CapEff:\" /proc/self/status;"
                    + " touch /tmp/mine && stat -c %U /tmp/mine'"))
        .isEqualTo(
            "uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)\n"
                + "CapEff:\t0000000000000000\n"
                + "nobody\n");
  }
}
