package io.jstack.junit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jstack.junit.JStack;
import io.jstack.junit.StackEngine;
import io.jstack.junit.StackSpec;
import io.jstack.junit.Wait;
import io.jstack.junit.WaitFor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExtensionSupportTest {
  @JStack(
      file = {"a.yaml", "b.yaml"},
      profiles = "debug",
      env = {"PORT=1", "X=a=b"},
      name = "shop",
      engine = StackEngine.DOCKER,
      timeoutSeconds = 30,
      waits = {
        @WaitFor(service = "web", httpPort = 8080, path = "/health"),
        @WaitFor(service = "db", port = 5432),
        @WaitFor(service = "db", logLine = "ready")
      })
  static class Declared {}

  @JStack(file = "a.yaml", waits = @WaitFor(service = "web", port = 1, logLine = "x"))
  static class TwoWaitsInOne {}

  @JStack(file = "a.yaml", env = "NOEQUALS")
  static class BadEnv {}

  @Test
  void spec_takesEveryAttribute() {
    StackSpec spec =
        ExtensionSupport.spec(Declared.class.getAnnotation(JStack.class), Declared.class);
    assertThat(spec.files())
        .containsExactly(Path.of("a.yaml").toAbsolutePath(), Path.of("b.yaml").toAbsolutePath());
    assertThat(spec.profiles()).containsExactly("debug");
    assertThat(spec.env()).isEqualTo(Map.of("PORT", "1", "X", "a=b"));
    assertThat(spec.projectName()).isEqualTo("shop");
    assertThat(spec.engine()).isEqualTo(StackEngine.DOCKER);
    assertThat(spec.freePorts()).isTrue();
    assertThat(spec.timeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(spec.waits())
        .extracting(Wait::describe)
        .containsExactly(
            "GET /health on port 8080 of web to answer 2xx",
            "port 5432 of db to accept connections",
            "a line of db's output matching /ready/");
  }

  @Test
  void aWaitSettingTwoChecks_isRefused_namingTheClass() {
    assertThatThrownBy(
            () ->
                ExtensionSupport.spec(
                    TwoWaitsInOne.class.getAnnotation(JStack.class), TwoWaitsInOne.class))
        .hasMessageContaining("TwoWaitsInOne")
        .hasMessageEndingWith(
            "@WaitFor(service = \"web\") sets several of port, logLine and httpPort: set exactly one");
  }

  @Test
  void anEnvEntryWithoutEquals_isRefused() {
    assertThatThrownBy(
            () -> ExtensionSupport.spec(BadEnv.class.getAnnotation(JStack.class), BadEnv.class))
        .hasMessageEndingWith(": env entry \"NOEQUALS\" is not NAME=VALUE");
  }
}
