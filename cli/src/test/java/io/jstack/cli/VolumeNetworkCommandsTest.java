package io.jstack.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.jstack.engine.NetworkSpec;
import io.jstack.engine.VolumeSpec;
import io.jstack.engine.testing.FakeEngine;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code jstack volume ...}, {@code jstack network ...} and {@code jstack volumes} through the CLI,
 * against the in-memory engine: what they print, as Docker's CLI and Compose print it, and what
 * they remove.
 */
class VolumeNetworkCommandsTest {
  @TempDir Path dir;
  FakeEngine engine;
  Path compose;

  @BeforeEach
  void setUp() throws Exception {
    engine = new FakeEngine().localImage("nginx:1.27", "sha256:ng");
    compose = dir.resolve("compose.yaml");
    Files.writeString(
        compose,
        """
        name: demo
        services:
          web:
            image: nginx:1.27
            volumes: [data:/data, /scratch]
          idle:
            image: nginx:1.27
        volumes:
          data: {}
        """);
  }

  JstackTest.Run jstack(String... args) {
    return jstackWithInput("", args);
  }

  JstackTest.Run jstackWithInput(String stdin, String... args) {
    List<String> all = new ArrayList<>(List.of("-f", compose.toString()));
    all.addAll(List.of(args));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Jstack.run(
            all.toArray(String[]::new),
            new PrintWriter(out),
            new PrintWriter(err),
            Map.of("JSTACK_ENGINE_SOCKET", dir.resolve("engine.sock").toString()),
            (kind, env) -> engine,
            new java.io.ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
    return new JstackTest.Run(code, out.toString(), err.toString());
  }

  JstackTest.Run ok(String... args) {
    JstackTest.Run r = jstack(args);
    assertThat(r.code()).as(String.join(" ", args) + ": " + r.err()).isZero();
    return r;
  }

  /** The project up, and a volume and network of nobody's. */
  void upAndStrays() {
    ok("up", "-d");
    engine.createVolume(new VolumeSpec("stray", null, Map.of(), Map.of("team", "ops")));
    engine.createNetwork(
        new NetworkSpec("strays", null, Map.of(), false, false, false, List.of(), Map.of()));
  }

  String anonymousVolume() {
    return engine.volumes(Map.of(FakeEngine.ANONYMOUS_VOLUME_LABEL, "")).get(0).name();
  }

  @Test
  void volumeLs_tableQuietFilterAndFormats_asDockers() {
    upAndStrays();
    String anonymous = anonymousVolume();

    assertThat(ok("volume", "ls").out())
        .isEqualTo(
            "DRIVER   VOLUME NAME\n"
                + "local    "
                + anonymous
                + "\nlocal    demo_data\nlocal    stray\n");
    assertThat(ok("volume", "ls", "-q", "--filter", "dangling=true").out()).isEqualTo("stray\n");
    assertThat(ok("volume", "ls", "-q", "-f", "label=team=ops", "-f", "name=str").out())
        .isEqualTo("stray\n");
    assertThat(
            ok("volume", "ls", "--format", "{{.Name}} {{.Label \"team\"}}", "-f", "name=s").out())
        .isEqualTo("stray ops\n");
    assertThat(ok("volume", "ls", "--format", "json", "-f", "name=stray").out())
        .isEqualTo(
            "{\"Availability\":\"N/A\",\"Driver\":\"local\",\"Group\":\"N/A\",\"Labels\":\"team=ops\","
                + "\"Links\":\"N/A\",\"Mountpoint\":\"\",\"Name\":\"stray\",\"Scope\":\"local\","
                + "\"Size\":\"N/A\",\"Status\":\"N/A\"}\n");

    JstackTest.Run noEquals = jstack("volume", "ls", "--filter", "dangling");
    assertThat(noEquals.code()).isEqualTo(2);
    assertThat(noEquals.err())
        .startsWith("jstack: --filter: bad format of filter 'dangling': write it as key=value");
    JstackTest.Run unknown = jstack("volume", "ls", "--filter", "colour=red");
    assertThat(unknown.code()).isEqualTo(1);
    assertThat(unknown.err())
        .isEqualTo(
            "jstack: invalid filter 'colour' for volumes: use dangling, driver, label, name\n");
    JstackTest.Run badFormat = jstack("volume", "ls", "--format", "{{.Colour}}");
    assertThat(badFormat.code()).isEqualTo(2);
    assertThat(badFormat.err()).startsWith("jstack: --format: template: no field .Colour; fields:");
  }

  @Test
  void volumeInspect_printsDockersJsonArray_andANameNotFoundOnALineOfItsOwn() throws Exception {
    upAndStrays();

    JstackTest.Run both = jstack("volume", "inspect", "stray", "nope");
    assertThat(both.code()).isEqualTo(1);
    assertThat(both.err()).isEqualTo("jstack: no such volume: nope (see 'jstack volume ls')\n");
    JsonNode json = new ObjectMapper().readTree(both.out());
    assertThat(json.size()).isEqualTo(1);
    assertThat(json.get(0).path("Name").asText()).isEqualTo("stray");
    assertThat(json.get(0).path("Driver").asText()).isEqualTo("local");
    assertThat(json.get(0).path("Labels").path("team").asText()).isEqualTo("ops");
    assertThat(ok("volume", "inspect", "-f", "{{.Name}}:{{json .Labels}}", "stray").out())
        .isEqualTo("stray:{\"team\":\"ops\"}\n");
  }

  @Test
  void volumeRm_removesEachItCan_oneInUseIsALineSayingWhatToDo_forceIgnoresMissing() {
    upAndStrays();

    JstackTest.Run rm = jstack("volume", "rm", "demo_data", "stray", "nope");

    assertThat(rm.code()).isEqualTo(1);
    assertThat(rm.out()).isEqualTo("stray\n");
    assertThat(rm.err().lines())
        .containsExactly(
            "jstack: cannot remove volume demo_data, a container uses it: remove that container"
                + " first (remove demo_data: volume is in use - [demo-web-1])",
            "jstack: no such volume: nope (see 'jstack volume ls')");
    assertThat(engine.volume("stray")).isEmpty();
    assertThat(engine.volume("demo_data")).isPresent();
    assertThat(ok("volume", "rm", "-f", "nope").out()).isEqualTo("nope\n");
    // As Docker's CLI: network rm -f passes a missing network over without a word.
    assertThat(ok("network", "rm", "-f", "nope").out()).isEmpty();
  }

  @Test
  void volumePrune_asksFirst_removesUnusedAnonymousOnes_orWithAllEveryUnusedOne() {
    upAndStrays();
    String anonymous = anonymousVolume();
    ok("down");

    JstackTest.Run no = jstackWithInput("n\n", "volume", "prune");
    assertThat(no.code()).isEqualTo(1);
    assertThat(no.out())
        .isEqualTo(
            "WARNING! This will remove anonymous local volumes not used by at least one"
                + " container.\nAre you sure you want to continue? [y/N] ");
    assertThat(no.err()).startsWith("jstack: volume prune cancelled, nothing was removed:");
    assertThat(engine.volume(anonymous)).isPresent();

    JstackTest.Run yes = jstackWithInput("y\n", "volume", "prune");
    assertThat(yes.code()).as(yes.err()).isZero();
    assertThat(yes.out())
        .endsWith("[y/N] Deleted Volumes:\n" + anonymous + "\n\nTotal reclaimed space: 0B\n");
    assertThat(engine.volume("demo_data")).isPresent();

    assertThat(ok("volume", "prune", "-f", "-a", "--filter", "label!=team").out())
        .isEqualTo("Deleted Volumes:\ndemo_data\n\nTotal reclaimed space: 0B\n");
    assertThat(ok("volume", "prune", "-f", "--all").out())
        .isEqualTo("Deleted Volumes:\nstray\n\nTotal reclaimed space: 0B\n");
    assertThat(ok("volume", "prune", "-f").out()).isEqualTo("Total reclaimed space: 0B\n");
  }

  @Test
  void networkLsInspectRmPrune_asDockers() throws Exception {
    upAndStrays();
    String id = engine.network("demo_default").orElseThrow().id();

    assertThat(ok("network", "ls").out())
        .startsWith("NETWORK ID")
        .contains("demo_default")
        .contains("strays");
    assertThat(ok("network", "ls", "--format", "{{.Name}}", "--filter", "dangling=false").out())
        .isEqualTo("demo_default\n");
    assertThat(ok("network", "ls", "-q", "--no-trunc", "-f", "name=demo").out())
        .isEqualTo(id + "\n");
    assertThat(ok("network", "ls", "--format", "json", "-f", "name=strays").out())
        .contains("\"Name\":\"strays\"")
        .contains("\"Internal\":\"false\"");
    JsonNode inspected =
        new ObjectMapper().readTree(ok("network", "inspect", "demo_default").out()).get(0);
    assertThat(inspected.path("Id").asText()).isEqualTo(id);
    assertThat(inspected.path("Labels").path("com.docker.compose.project").asText())
        .isEqualTo("demo");
    assertThat(inspected.has("IPAM")).isTrue();

    JstackTest.Run inUse = jstack("network", "rm", "demo_default");
    assertThat(inUse.code()).isEqualTo(1);
    assertThat(inUse.err())
        .startsWith("jstack: cannot remove network demo_default: ")
        .contains("has active endpoints");

    JstackTest.Run no = jstackWithInput("\n", "network", "prune");
    assertThat(no.code()).isEqualTo(1);
    assertThat(no.out())
        .isEqualTo(
            "WARNING! This will remove all custom networks not used by at least one container.\n"
                + "Are you sure you want to continue? [y/N] ");
    assertThat(jstackWithInput("y\n", "network", "prune").out())
        .endsWith("[y/N] Deleted Networks:\nstrays\n\n");
    assertThat(engine.network("demo_default")).isPresent();

    ok("stop");
    assertThat(ok("network", "rm", "demo_default").out()).isEqualTo("demo_default\n");
    JstackTest.Run missing = jstack("network", "rm", "demo_default");
    assertThat(missing.err())
        .isEqualTo("jstack: no such network: demo_default (see 'jstack network ls')\n");
  }

  @Test
  void volumes_listsTheProjectsVolumes_orThoseItsServicesMount() {
    upAndStrays();
    String anonymous = anonymousVolume();

    assertThat(ok("volumes").out()).isEqualTo("DRIVER   VOLUME NAME\nlocal    demo_data\n");
    assertThat(ok("volumes", "-q", "web").out()).isEqualTo("demo_data\n");
    assertThat(ok("volumes", "-q", "idle").out()).isEmpty();
    assertThat(ok("volumes", "--format", "{{.Name}}/{{.Driver}}").out())
        .isEqualTo("demo_data/local\n");
    assertThat(anonymous).isNotEqualTo("demo_data");
    JstackTest.Run unknown = jstack("volumes", "nope");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("jstack: no such service: nope (services: ");
  }
}
