package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.runtime.container.ExecConfig;
import io.jstack.runtime.engine.ExecRequest;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Real HTTP against fakes; a route that hangs fails the test instead. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ExecRoutesTest {
  @TempDir Path dir;

  private final FakeExecs engine = new FakeExecs();
  private ApiClient api;

  @BeforeEach
  void serve() {
    api =
        ApiClient.serving(
            dir, new EngineServer.Services(null, null, null, engine, null, null, null, null));
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void create_answers201WithTheId_andDecodesTheBody() {
    ApiClient.Answer a =
        api.post(
            "/containers/web/exec",
            "{'Cmd': ['sh', '-c', 'id'], 'Env': ['X=1'], 'User': 'nobody', 'WorkingDir': '/tmp',"
                + " 'Tty': true, 'AttachStdin': true, 'AttachStderr': false, 'Privileged': true}");

    assertThat(a.status()).isEqualTo(201);
    assertThat(a.json().toString()).isEqualTo("{\"Id\":\"e1\"}");
    assertThat(engine.byId.get("e1").request())
        .isEqualTo(
            new ExecRequest(
                new ExecConfig(List.of("sh", "-c", "id"), List.of("X=1"), "nobody", "/tmp", true),
                true,
                true,
                true,
                false));
  }

  @Test
  void create_attachesOutputAndErrorsUnlessToldNot_andNoInput() {
    api.post("/containers/web/exec", "{'Cmd': ['true']}");

    ExecRequest r = engine.byId.get("e1").request();
    assertThat(r.attachStdin()).isFalse();
    assertThat(r.attachStdout()).isTrue();
    assertThat(r.attachStderr()).isTrue();
    assertThat(r.process().user()).isNull();
    assertThat(r.process().workingDir()).isNull();
    assertThat(r.process().tty()).isFalse();
  }

  @Test
  void create_withoutACommand_is400_andInAContainerThatDoesNotRun409() {
    ApiClient.Answer noCommand = api.post("/containers/web/exec", "{'Cmd': []}");
    ApiClient.Answer stopped = api.post("/containers/db/exec", "{'Cmd': ['true']}");

    assertThat(noCommand.status()).isEqualTo(400);
    assertThat(noCommand.message()).isEqualTo("exec needs a command");
    assertThat(stopped.status()).isEqualTo(409);
    assertThat(stopped.message()).isEqualTo("container db is not running");
  }

  @Test
  void inspect_ofAnExecNotStarted_hasNoExitCodeNorPid() {
    api.post(
        "/containers/web/exec", "{'Cmd': ['ls', '-l', '/'], 'User': 'app', 'AttachStdin': true}");

    JsonNode i = api.get("/exec/e1/json").json();

    assertThat(i.path("ID").asText()).isEqualTo("e1");
    assertThat(i.path("ContainerID").asText()).isEqualTo("web-id");
    assertThat(i.path("Running").asBoolean()).isFalse();
    assertThat(i.path("ExitCode").isNull()).isTrue();
    assertThat(i.path("Pid").asInt()).isZero();
    JsonNode pc = i.path("ProcessConfig");
    assertThat(pc.path("entrypoint").asText()).isEqualTo("ls");
    assertThat(pc.path("arguments").toString()).isEqualTo("[\"-l\",\"/\"]");
    assertThat(pc.path("user").asText()).isEqualTo("app");
    assertThat(pc.path("tty").asBoolean()).isFalse();
    assertThat(i.path("OpenStdin").asBoolean()).isTrue();
    assertThat(i.path("OpenStdout").asBoolean()).isTrue();
  }

  @Test
  void inspect_ofNoSuchExec_is404() {
    ApiClient.Answer a = api.get("/exec/nope/json");

    assertThat(a.status()).isEqualTo(404);
    assertThat(a.message()).isEqualTo("No such exec instance: nope");
  }

  @Test
  void start_detached_is200_withTheConsoleSizeAsked_orTwentyFourByEighty() {
    api.post("/containers/web/exec", "{'Cmd': ['true']}");

    ApiClient.Answer sized =
        api.post("/exec/e1/start", "{'Detach': true, 'ConsoleSize': [30, 100]}");
    ApiClient.Answer plain = api.post("/exec/e1/start", "{'Detach': true}");

    assertThat(sized.status()).isEqualTo(200);
    assertThat(sized.bytes()).isEmpty();
    assertThat(plain.status()).isEqualTo(200);
    assertThat(engine.calls)
        .containsExactly("start e1 detach=true 30x100", "start e1 detach=true 24x80");
    assertThat(api.post("/exec/nope/start", "{'Detach': true}").status()).isEqualTo(404);
  }

  @Test
  void resize_beforeItStarted_is409() {
    api.post("/containers/web/exec", "{'Cmd': ['true']}");

    ApiClient.Answer a = api.post("/exec/e1/resize?h=10&w=20");

    assertThat(a.status()).isEqualTo(409);
    assertThat(a.message()).isEqualTo("exec instance e1 has not started");
  }
}
