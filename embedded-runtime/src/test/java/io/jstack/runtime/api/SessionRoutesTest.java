package io.jstack.runtime.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.http.HttpConnection;
import io.jstack.engine.http.HttpRequest;
import io.jstack.engine.http.HttpResponse;
import io.jstack.engine.http.SocketTransport;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /jstack/session} over real HTTP, with no engine behind it: the session's record
 * follows its commands, and a lost session whose projects cannot be removed keeps its record.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionRoutesTest {
  @TempDir Path dir;
  final List<String> log = new CopyOnWriteArrayList<>();
  EngineServer server;
  SocketTransport client;

  @BeforeEach
  void serve() throws Exception {
    Path socket = dir.resolve("api.sock");
    Router router = new Router();
    new SessionRoutes(dir, socket, log::add).register(router);
    server = EngineServer.start(router, socket, null, line -> {});
    client = new SocketTransport(new EngineAddress.Unix(socket));
  }

  @AfterEach
  void stop() {
    client.close();
    server.close();
  }

  @Test
  void withoutAnUpgrade_is400_sayingHowToAsk() throws Exception {
    try (HttpResponse r = client.execute(HttpRequest.post("/jstack/session"))) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8))
          .contains("ask for it with Upgrade: tcp");
    }
    try (HttpResponse r =
        client.execute(HttpRequest.post("/jstack/session?grace=61000").upgrading())) {
      assertThat(r.status()).isEqualTo(400);
      assertThat(new String(r.body().readAllBytes(), StandardCharsets.UTF_8))
          .contains("grace is 0 to 60000 ms, not 61000");
    }
  }

  @Test
  void aSession_isRecordedWithItsOwnersPid_andForgottenOnClose() throws Exception {
    try (HttpResponse r = client.execute(HttpRequest.post("/jstack/session?grace=0").upgrading());
        HttpConnection c = r.connection()) {
      assertThat(r.status()).isEqualTo(101);
      BufferedReader in =
          new BufferedReader(new InputStreamReader(c.input(), StandardCharsets.UTF_8));
      String hello = in.readLine();
      assertThat(hello).startsWith("session " + ProcessHandle.current().pid() + "-");
      String id = hello.substring("session ".length());

      assertThat(say(c, in, "watch shop")).isEqualTo("ok");
      Path record = dir.resolve("sessions").resolve(id + ".session");
      assertThat(Files.readAllLines(record))
          .contains("project shop", "engine unix://" + dir.resolve("api.sock"));
      assertThat(Files.readAllLines(record).get(0))
          .startsWith("owner " + ProcessHandle.current().pid() + " ");

      assertThat(say(c, in, "close")).isEqualTo("ok");
      assertThat(in.readLine()).isNull();
      assertThat(record).doesNotExist();
    }
    assertThat(log).isEmpty();
  }

  @Test
  void aLostSession_whoseProjectsCannotBeRemoved_keepsItsRecord() throws Exception {
    try (HttpResponse r = client.execute(HttpRequest.post("/jstack/session?grace=0").upgrading());
        HttpConnection c = r.connection()) {
      BufferedReader in =
          new BufferedReader(new InputStreamReader(c.input(), StandardCharsets.UTF_8));
      in.readLine();
      assertThat(say(c, in, "watch shop")).isEqualTo("ok");
    }
    // This server has no containers to remove them with: the record stays for a later sweep.
    Awaitility.await()
        .untilAsserted(
            () ->
                assertThat(log).anyMatch(l -> l.contains("could not remove its projects [shop]")));
    try (Stream<Path> records = Files.list(dir.resolve("sessions"))) {
      assertThat(records.toList()).singleElement().asString().endsWith(".session");
    }
  }

  private static String say(HttpConnection c, BufferedReader in, String line) throws Exception {
    c.output().write((line + "\n").getBytes(StandardCharsets.UTF_8));
    c.output().flush();
    return in.readLine();
  }
}
