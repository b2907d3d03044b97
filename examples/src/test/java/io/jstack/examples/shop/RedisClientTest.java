package io.jstack.examples.shop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class RedisClientTest {
  @Test
  void write_sendsAnArrayOfBulkStrings_withUtf8Lengths() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();

    Resp.write(out, "SET", "orders:count", "café");

    assertThat(out.toString(StandardCharsets.UTF_8))
        .isEqualTo("*3\r\n$3\r\nSET\r\n$12\r\norders:count\r\n$5\r\ncafé\r\n");
  }

  @Test
  void read_everyReplyType() throws IOException {
    assertThat(read("+PONG\r\n")).isEqualTo("PONG");
    assertThat(read(":-42\r\n")).isEqualTo(-42L);
    assertThat(read("$5\r\ncafé\r\n")).isEqualTo("café");
    assertThat(read("$0\r\n\r\n")).isEqualTo("");
    assertThat(read("$-1\r\n")).isNull();
    assertThat(read("*3\r\n$1\r\na\r\n:1\r\n$-1\r\n"))
        .isEqualTo(java.util.Arrays.asList("a", 1L, null));
    assertThat(read("*0\r\n")).isEqualTo(List.of());
  }

  @Test
  void read_errorReply_isARedisError() {
    assertThatThrownBy(() -> read("-ERR value is not an integer or out of range\r\n"))
        .isInstanceOf(RedisError.class)
        .hasMessage("Redis: ERR value is not an integer or out of range");
  }

  @Test
  void read_brokenReplies_areIoErrors() {
    assertThatThrownBy(() -> read("")).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read("+PON")).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read("$5\r\nab")).isInstanceOf(EOFException.class);
    assertThatThrownBy(() -> read("?what\r\n"))
        .isInstanceOf(IOException.class)
        .hasMessage("not a RESP reply: starts with byte 63");
    assertThatThrownBy(() -> read(":x\r\n")).hasMessage("not a RESP reply: \"x\" is not a number");
  }

  @Test
  void commands_overASocket_getTheirAnswers() throws IOException {
    try (FakeRedis fake = new FakeRedis();
        RedisClient client = fake.client()) {
      assertThat(client.ping()).isEqualTo("PONG");
      assertThat(client.get("orders:count")).isNull();
      assertThat(client.incr("orders:count")).isEqualTo(1);
      assertThat(client.incr("orders:count")).isEqualTo(2);
      assertThat(client.get("orders:count")).isEqualTo("2");
      client.set("greeting", "grüß dich");
      assertThat(client.get("greeting")).isEqualTo("grüß dich");

      assertThat(fake.commands)
          .containsExactly(
              List.of("PING"),
              List.of("GET", "orders:count"),
              List.of("INCR", "orders:count"),
              List.of("INCR", "orders:count"),
              List.of("GET", "orders:count"),
              List.of("SET", "greeting", "grüß dich"),
              List.of("GET", "greeting"));
      assertThat(fake.connections).hasValue(1);
    }
  }

  @Test
  void errorReply_keepsTheConnection() throws IOException {
    try (FakeRedis fake = new FakeRedis();
        RedisClient client = fake.client()) {
      client.set("k", "not a number");

      assertThatThrownBy(() -> client.incr("k"))
          .isInstanceOf(RedisError.class)
          .hasMessage("Redis: ERR value is not an integer or out of range");
      assertThat(client.ping()).isEqualTo("PONG");
      assertThat(fake.connections).hasValue(1);
    }
  }

  @Test
  void connectionClosedByRedis_nextCallReconnects() throws Exception {
    try (FakeRedis fake = new FakeRedis();
        RedisClient client = fake.client()) {
      assertThat(client.incr("n")).isEqualTo(1);

      fake.dropConnection();

      assertThat(client.incr("n")).isEqualTo(2);
      assertThat(fake.connections).hasValue(2);
      assertThat(fake.commands).containsExactly(List.of("INCR", "n"), List.of("INCR", "n"));
    }
  }

  @Test
  void newConnectionThatFails_isNotRetried() throws IOException {
    try (FakeRedis fake = new FakeRedis();
        RedisClient client = fake.client()) {
      fake.hangUpOnAccept = true;

      // EOF, or a reset when the hang-up crosses the PING: either way one connection, no retry.
      assertThatThrownBy(client::ping).isInstanceOf(IOException.class);
      assertThat(fake.connections).hasValue(1);

      fake.hangUpOnAccept = false;
      assertThat(client.ping()).isEqualTo("PONG");
    }
  }

  @Test
  void nothingListening_saysWhere() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    try (RedisClient client = new RedisClient("127.0.0.1", port, 2_000)) {
      assertThatThrownBy(client::ping)
          .isInstanceOf(IOException.class)
          .hasMessageStartingWith("cannot connect to Redis at 127.0.0.1:" + port + ": ")
          .hasMessageContaining("Connection refused");
    }
  }

  private static Object read(String reply) throws IOException {
    return Resp.read(new ByteArrayInputStream(reply.getBytes(StandardCharsets.UTF_8)));
  }

  /** A Redis stand-in on 127.0.0.1: one client at a time, PING, GET, SET and INCR. */
  private static final class FakeRedis implements AutoCloseable {
    final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    final List<List<String>> commands = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger connections = new AtomicInteger();
    final Map<String, String> data = new ConcurrentHashMap<>();
    volatile boolean hangUpOnAccept;
    volatile @Nullable Socket current;
    final Thread thread = new Thread(this::serve, "fake-redis");

    FakeRedis() throws IOException {
      thread.start();
    }

    RedisClient client() {
      return new RedisClient("127.0.0.1", server.getLocalPort(), 5_000);
    }

    /**
     * Closes the client's connection from the server side, as a restarted Redis does, and waits
     * until the server is done with it, so that no later command can still run on it.
     */
    void dropConnection() throws IOException, InterruptedException {
      Socket s = current;
      assertThat(s).as("a client connection").isNotNull();
      s.close();
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (current != null && System.nanoTime() < deadline) {
        Thread.sleep(5);
      }
      assertThat(current).as("connection ended").isNull();
    }

    private void serve() {
      while (!server.isClosed()) {
        try (Socket s = server.accept()) {
          connections.incrementAndGet();
          if (hangUpOnAccept) {
            continue;
          }
          current = s;
          answer(new BufferedInputStream(s.getInputStream()), s.getOutputStream());
        } catch (IOException e) {
          // the server socket was closed, or the client went away: accept the next one
        } finally {
          current = null;
        }
      }
    }

    private void answer(InputStream in, OutputStream out) throws IOException {
      while (true) {
        @SuppressWarnings("unchecked")
        List<String> command = (List<String>) Resp.read(in);
        commands.add(command);
        out.write(reply(command).getBytes(StandardCharsets.UTF_8));
        out.flush();
      }
    }

    private String reply(List<String> c) {
      switch (c.get(0)) {
        case "PING":
          return "+PONG\r\n";
        case "SET":
          data.put(c.get(1), c.get(2));
          return "+OK\r\n";
        case "GET":
          String v = data.get(c.get(1));
          return v == null
              ? "$-1\r\n"
              : "$" + v.getBytes(StandardCharsets.UTF_8).length + "\r\n" + v + "\r\n";
        case "INCR":
          try {
            long n = Long.parseLong(data.getOrDefault(c.get(1), "0")) + 1;
            data.put(c.get(1), Long.toString(n));
            return ":" + n + "\r\n";
          } catch (NumberFormatException e) {
            return "-ERR value is not an integer or out of range\r\n";
          }
        default:
          return "-ERR unknown command '" + c.get(0) + "'\r\n";
      }
    }

    @Override
    public void close() throws IOException {
      server.close();
      Socket s = current;
      if (s != null) {
        s.close();
      }
      try {
        thread.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      assertThat(thread.isAlive()).as("fake Redis thread ended").isFalse();
    }
  }
}
