package io.jstack.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.ProjectOptions;
import io.jstack.compose.Service;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example stack loads cleanly, and hello shows what README says it shows. */
class ExamplesTest {
  static Path examples() {
    return Path.of(System.getProperty("jstack.repo.dir", "..")).resolve("examples");
  }

  static Stream<Path> stacks() throws IOException {
    try (Stream<Path> dirs = Files.list(examples())) {
      List<Path> list =
          dirs.filter(d -> Files.isRegularFile(d.resolve("compose.yaml"))).sorted().toList();
      assertThat(list).isNotEmpty();
      return list.stream();
    }
  }

  static LoadedProject load(Path dir) {
    return ComposeLoader.load(
        ProjectOptions.of(List.of(dir.resolve("compose.yaml")), Map.of("HOME", "/root"), dir));
  }

  @ParameterizedTest
  @MethodSource("stacks")
  void loadsWithoutWarnings(Path dir) {
    LoadedProject p = load(dir);
    assertThat(p.warnings()).isEmpty();
    assertThat(p.project().services().values()).allMatch(s -> s.image() != null);
  }

  /** Users copy examples: each service stops on SIGTERM at once, through an init as PID 1. */
  @ParameterizedTest
  @MethodSource("stacks")
  void everyService_hasAnInit(Path dir) {
    Map<String, Service> services = load(dir).project().services();
    assertThat(services).isNotEmpty();
    assertThat(
            services.entrySet().stream()
                .filter(e -> !Boolean.TRUE.equals(e.getValue().init()))
                .map(Map.Entry::getKey)
                .toList())
        .as(dir + ": services without init: true")
        .isEmpty();
  }

  @Test
  void hello_showsTheMainFeatures() {
    LoadedProject p = load(examples().resolve("hello"));
    Service web = p.project().services().get("web");
    assertThat(web.ports())
        .singleElement()
        .satisfies(
            port -> {
              assertThat(port.target()).isEqualTo(8080);
              assertThat(port.published()).isEqualTo("8080");
            });
    assertThat(web.healthcheck().test()).first().isEqualTo("CMD-SHELL");
    Service client = p.project().services().get("client");
    assertThat(client.dependsOn().get("web").condition()).isEqualTo("service_healthy");
    assertThat(client.command()).last().asString().contains("nc web 8080");
    assertThat(p.project().volumes().get("site").name()).isEqualTo("hello_site");
    assertThat(p.project().services().get("worker").command())
        .last()
        .asString()
        .contains("$((i+1))");
  }
}
