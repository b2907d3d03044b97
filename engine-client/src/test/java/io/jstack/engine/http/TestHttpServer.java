package io.jstack.engine.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 server on the JDK's own channels (unix or TCP), written independently of the
 * client under test. Routes: {@code /echo} answers with the request body, {@code /stream} sends
 * three chunks and waits for {@link #release} before the last, {@code /big} sends 1 MiB, {@code
 * /missing} answers 404, {@code /upgrade} switches protocols and echoes upper-cased until the
 * client half-closes, {@code /hang} sends headers and then waits until the client goes away.
 */
final class TestHttpServer implements AutoCloseable {
  final ServerSocketChannel server;
  final CountDownLatch release = new CountDownLatch(1);
  final CountDownLatch clientGone = new CountDownLatch(1);
  private final Thread acceptor;

  TestHttpServer(ServerSocketChannel server, SocketAddress address) throws IOException {
    this.server = server;
    server.bind(address);
    acceptor = new Thread(this::acceptLoop, "test-http-server");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel ch = server.accept();
        Thread t = new Thread(() -> serve(ch), "test-http-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(SocketChannel ch) {
    try (ch;
        InputStream in = Channels.newInputStream(ch);
        OutputStream out = Channels.newOutputStream(ch)) {
      String requestLine = line(in);
      Map<String, String> headers = new LinkedHashMap<>();
      for (String h = line(in); !h.isEmpty(); h = line(in)) {
        int colon = h.indexOf(':');
        headers.put(
            h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
      }
      byte[] body = body(in, headers);
      String path = requestLine.split(" ")[1];
      switch (path) {
        case "/echo" ->
            respond(
                out, 200, headers.getOrDefault("content-type", "application/octet-stream"), body);
        case "/upgrade" -> {
          out.write(
              "HTTP/1.1 101 UPGRADED\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          out.flush();
          // Echo upper-cased until the client half-closes, then say goodbye.
          int c;
          while ((c = in.read()) != -1) {
            out.write(Character.toUpperCase(c));
            if (c == '\n') {
              out.flush();
            }
          }
          out.write("bye\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        case "/missing" ->
            respond(
                out,
                404,
                "application/json",
                "{\"message\":\"no such thing\"}".getBytes(StandardCharsets.UTF_8));
        case "/big" -> {
          byte[] big = new byte[1 << 20];
          for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i % 251);
          }
          respond(out, 200, "application/octet-stream", big);
        }
        case "/stream" -> {
          out.write(
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          chunk(out, "one\n");
          chunk(out, "two\n");
          release.await(10, TimeUnit.SECONDS);
          chunk(out, "three\n");
          out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
          out.flush();
        }
        case "/hang" -> {
          out.write(
              "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                  .getBytes(StandardCharsets.US_ASCII));
          chunk(out, "started\n");
          // Keep writing until the client closes; a write then fails.
          try {
            while (true) {
              Thread.sleep(20);
              chunk(out, ".");
            }
          } catch (IOException gone) {
            clientGone.countDown();
          }
        }
        default ->
            respond(
                out, 500, "text/plain", ("unknown path " + path).getBytes(StandardCharsets.UTF_8));
      }
    } catch (IOException | InterruptedException e) {
      clientGone.countDown();
    }
  }

  private static byte[] body(InputStream in, Map<String, String> headers) throws IOException {
    if (headers.containsKey("content-length")) {
      return in.readNBytes(Integer.parseInt(headers.get("content-length")));
    }
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      while (true) {
        int size = Integer.parseInt(line(in).split(";")[0].trim(), 16);
        if (size == 0) {
          line(in);
          return all.toByteArray();
        }
        all.write(in.readNBytes(size));
        line(in);
      }
    }
    return new byte[0];
  }

  private static void respond(OutputStream out, int status, String type, byte[] body)
      throws IOException {
    out.write(
        ("HTTP/1.1 "
                + status
                + " X\r\nContent-Type: "
                + type
                + "\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
    out.write(body);
    out.flush();
  }

  private static void chunk(OutputStream out, String text) throws IOException {
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    out.write((Integer.toHexString(b.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
    out.write(b);
    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
    out.flush();
  }

  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        b.write(c);
      }
    }
    return b.toString(StandardCharsets.US_ASCII);
  }

  @Override
  public void close() throws IOException {
    server.close();
  }
}
