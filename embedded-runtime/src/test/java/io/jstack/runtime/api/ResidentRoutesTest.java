package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.http.HttpConnection;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.SocketTransport;
import io.jstack.runtime.ResidentCall;
import io.jstack.runtime.ResidentCommands;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /jstack/run} over a real unix socket, with commands of the test's own: who is refused
 * and why, the frames a command's output and status come in, Ctrl-C, halting, and a client that
 * goes away.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ResidentRoutesTest {
  static final String BUILD = "b1";

  @TempDir Path dir;
  EngineServer server;
  SocketTransport client;
  final AtomicReference<ResidentCall> seen = new AtomicReference<>();
  final CountDownLatch pressed = new CountDownLatch(1);
  final CountDownLatch interrupted = new CountDownLatch(1);

  /** Commands that say what they got, and ones that wait for Ctrl-C or for the client to go. */
  final ResidentCommands commands =
      new ResidentCommands() {
        @Override
        public @Nullable String refusal(ResidentCall call) {
          return call.args().get(0).equals("own") ? "own needs its own process" : null;
        }

        @Override
        public int run(ResidentCall call) {
          seen.set(call);
          String verb = call.args().get(0);
          try {
            switch (verb) {
              case "echo" -> {
                call.out().write(("out " + call.args() + "\n").getBytes(StandardCharsets.UTF_8));
                call.err().write("err line\n".getBytes(StandardCharsets.UTF_8));
                return 7;
              }
              case "ctrl-c" -> call.onInterrupt(() -> call.halt(42));
              case "no-handler", "wait" -> {}
              default -> throw new IllegalStateException("the engine broke: " + verb);
            }
            call.out().write("waiting\n".getBytes(StandardCharsets.UTF_8));
            Thread.sleep(60_000);
            return 0;
          } catch (InterruptedException e) {
            interrupted.countDown();
            return 99;
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        }
      };

  void serve(@Nullable String build, int uid) throws Exception {
    Path socket = dir.resolve("api.sock");
    Router router = new Router();
    new ResidentRoutes(commands, build, uid, line -> {}).register(router);
    server = EngineServer.start(router, socket, null, line -> {});
    client = new SocketTransport(new EngineAddress.Unix(socket));
  }

  void serve() throws Exception {
    serve(BUILD, ownUid());
  }

  @AfterEach
  void stop() {
    if (client != null) {
      client.close();
    }
    if (server != null) {
      server.close();
    }
  }

  static int ownUid() throws IOException {
    return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
  }

  static byte[] body(String build, String... args) {
    ObjectNode b = Exchange.JSON.createObjectNode();
    b.put("Build", build).put("Dir", "/tmp/work").put("Terminal", true);
    com.fasterxml.jackson.databind.node.ArrayNode a = b.putArray("Args");
    for (String arg : args) {
      a.add(arg);
    }
    b.putArray("Env").add("HOME=/home/u").add("A=1=2").add("=bad");
    return b.toString().getBytes(StandardCharsets.UTF_8);
  }

  HttpResponse post(byte[] body) throws IOException {
    return client.execute(HttpRequest.postJson("/jstack/run", body).upgrading());
  }

  /** What a run sent: its streams and its status (null when the connection ended without it). */
  record Frames(String out, String err, @Nullable Integer status) {}

  static Frames read(HttpConnection c) throws IOException {
    DataInputStream in = new DataInputStream(c.input());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    while (true) {
      int stream;
      try {
        stream = in.readUnsignedByte();
      } catch (EOFException end) {
        return new Frames(out.toString(StandardCharsets.UTF_8), err.toString(), null);
      }
      in.skipNBytes(3);
      byte[] payload = new byte[in.readInt()];
      in.readFully(payload);
      switch (stream) {
        case 1 -> out.write(payload);
        case 2 -> err.write(payload);
        case ResidentRoutes.EXIT -> {
          return new Frames(
              out.toString(StandardCharsets.UTF_8),
              err.toString(StandardCharsets.UTF_8),
              java.nio.ByteBuffer.wrap(payload).getInt());
        }
        default -> throw new AssertionError("frame of stream " + stream);
      }
    }
  }

  static String message(HttpResponse r) throws IOException {
    return Exchange.JSON.readTree(r.body()).path("message").asText();
  }

  @Test
  void aCommand_printsInFrames_thenItsStatus_withTheClientsDirectoryEnvironmentAndTerminal()
      throws Exception {
    serve();
    try (HttpResponse r = post(body(BUILD, "echo", "a b", "ü"));
        HttpConnection c = r.connection()) {
      assertThat(r.status()).isEqualTo(101);
      assertThat(read(c)).isEqualTo(new Frames("out [echo, a b, ü]\n", "err line\n", 7));
    }
    ResidentCall call = seen.get();
    assertThat(call.workdir()).isEqualTo(Path.of("/tmp/work"));
    assertThat(call.environment()).isEqualTo(Map.of("HOME", "/home/u", "A", "1=2"));
    assertThat(call.terminal()).isTrue();
    assertThat(call.args()).isEqualTo(List.of("echo", "a b", "ü"));
  }

  @Test
  void anotherBuild_orNone_isRefused_namingBoth() throws Exception {
    serve();
    try (HttpResponse r = post(body("b2", "echo"))) {
      assertThat(r.status()).isEqualTo(409);
      assertThat(message(r)).isEqualTo("this engine runs build b1 of jstack, the client b2");
    }
    stop();
    serve(null, ownUid());
    try (HttpResponse r = post(body(BUILD, "echo"))) {
      assertThat(r.status()).isEqualTo(409);
      assertThat(message(r)).contains("runs no launcher's build of jstack");
    }
    assertThat(seen.get()).isNull();
  }

  @Test
  void anotherUser_isRefused() throws Exception {
    serve(BUILD, ownUid() + 1);
    try (HttpResponse r = post(body(BUILD, "echo"))) {
      assertThat(r.status()).isEqualTo(409);
      assertThat(message(r))
          .isEqualTo(
              "the engine runs commands only for its own user (uid "
                  + (ownUid() + 1)
                  + "), not uid "
                  + ownUid());
    }
    assertThat(seen.get()).isNull();
  }

  @Test
  void whatTheCommandsRefuse_isRefusedWithTheirReason() throws Exception {
    serve();
    try (HttpResponse r = post(body(BUILD, "own"))) {
      assertThat(r.status()).isEqualTo(409);
      assertThat(message(r)).isEqualTo("own needs its own process");
    }
    try (HttpResponse r = post("{\"Build\":\"b1\",\"Args\":[]}".getBytes(StandardCharsets.UTF_8))) {
      assertThat(r.status()).isEqualTo(409);
      assertThat(message(r)).contains("no absolute Dir");
    }
  }

  @Test
  void ctrlC_reachesTheCommand_whichHalts_andTheThreadIsInterrupted() throws Exception {
    serve();
    try (HttpResponse r = post(body(BUILD, "ctrl-c"));
        HttpConnection c = r.connection()) {
      assertThat(new String(c.input().readNBytes(16), StandardCharsets.UTF_8))
          .endsWith("waiting\n");
      c.output().write(ResidentRoutes.INTERRUPT);
      c.output().flush();
      assertThat(read(c)).isEqualTo(new Frames("", "", 42));
    }
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void ctrlC_withNoHandler_endsTheCommandWith130() throws Exception {
    serve();
    try (HttpResponse r = post(body(BUILD, "no-handler"));
        HttpConnection c = r.connection()) {
      c.input().readNBytes(16);
      c.output().write(ResidentRoutes.INTERRUPT);
      c.output().flush();
      assertThat(read(c).status()).isEqualTo(130);
    }
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aClientThatGoes_interruptsTheCommand_asAKilledProcess() throws Exception {
    serve();
    HttpResponse r = post(body(BUILD, "wait"));
    HttpConnection c = r.connection();
    c.input().readNBytes(16);
    c.close();
    r.close();
    assertThat(interrupted.await(5, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aCommandThatThrows_saysSo_andExits1() throws Exception {
    serve();
    try (HttpResponse r = post(body(BUILD, "boom"));
        HttpConnection c = r.connection()) {
      Frames f = read(c);
      assertThat(f.status()).isEqualTo(1);
      assertThat(f.err()).contains("the engine broke: boom").contains("JSTACK_RESIDENT=off");
    }
  }
}
