package io.jstack.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.PortConfig;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import io.jstack.compose.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreePortsTest {
  @TempDir Path dir;

  Project load(String yaml) throws Exception {
    Path file = dir.resolve("compose.yaml");
    Files.writeString(file, yaml);
    return ComposeLoader.load(ProjectOptions.of(List.of(file), Map.of(), dir)).project();
  }

  @Test
  void fixedHostPorts_becomeEnginePicked_everythingElseKept() throws Exception {
    Project p =
        load(
            """
            services:
              web:
                image: busybox
                environment: {A: "1"}
                ports: ["8080:80", "127.0.0.1:9090:90/udp", "7070"]
              db:
                image: busybox
            """);
    Project free = FreePorts.apply(p);
    Service web = free.services().get("web");
    assertThat(web.ports())
        .extracting(
            PortConfig::target, PortConfig::published, PortConfig::hostIp, PortConfig::protocol)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(80, null, null, "tcp"),
            org.assertj.core.groups.Tuple.tuple(90, null, "127.0.0.1", "udp"),
            org.assertj.core.groups.Tuple.tuple(7070, null, null, "tcp"));
    assertThat(web.environment()).isEqualTo(Map.of("A", "1"));
    assertThat(web.image()).isEqualTo("busybox");
    assertThat(free.services().get("db")).isSameAs(p.services().get("db"));
    // The original is not changed.
    assertThat(p.services().get("web").ports().get(0).published()).isEqualTo("8080");
  }

  @Test
  void modelKey_isStableForTheSameFile_andFollowsAChange() throws Exception {
    Project a = load("name: one\nservices:\n  s:\n    image: busybox\n");
    Project b = load("name: one\nservices:\n  s:\n    image: busybox\n");
    Project c = load("name: one\nservices:\n  s:\n    image: busybox\n    command: [true]\n");
    assertThat(StackNames.modelKey(a)).isEqualTo(StackNames.modelKey(b)).hasSize(64);
    assertThat(StackNames.modelKey(c)).isNotEqualTo(StackNames.modelKey(a));
  }
}
