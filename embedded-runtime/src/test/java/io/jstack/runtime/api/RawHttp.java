package io.jstack.runtime.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A client that sends whatever bytes it is given on a unix socket, as a hostile one would, and
 * reads the one answer that comes back: the test's view of the wire, with no HTTP library in
 * between to tidy up what is sent. Each exchange has its own connection and a time limit, past
 * which the connection is closed and the answer is {@link Reply#NONE}.
 */
final class RawHttp implements AutoCloseable {
  /** An answer: its status (-1 when none came whole), head and body. */
  record Reply(int status, String head, byte[] body) {
    static final int NONE = -1;

    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }

    /** Docker's error message, {@code {"message": ...}}. */
    String message() {
      try {
        JsonNode n = Exchange.JSON.readTree(body);
        if (n == null || !n.path("message").isTextual()) {
          throw new AssertionError("no {\"message\": ...} in the " + status + " answer: " + text());
        }
        return n.path("message").asText();
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + text(), e);
      }
    }
  }

  private final Path socket;
  private final ScheduledExecutorService watchdog =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "raw-http-watchdog");
            t.setDaemon(true);
            return t;
          });

  RawHttp(Path socket) {
    this.socket = socket;
  }

  /** A connection to the server, for the caller to write to and close. */
  SocketChannel connect() throws IOException {
    SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
    c.connect(UnixDomainSocketAddress.of(socket));
    return c;
  }

  /**
   * Sends {@code request} whole on a connection of its own and reads the answer, after ending the
   * connection's sending half (so that a truncated request is seen as such, not waited for).
   */
  Reply exchange(byte[] request, Duration limit) throws IOException {
    return exchange(request, limit, true);
  }

  /** Sends {@code request}, ending the sending half after it if {@code halfClose}. */
  Reply exchange(byte[] request, Duration limit, boolean halfClose) throws IOException {
    return exchange(request, limit, halfClose ? Duration.ZERO : null);
  }

  /**
   * Sends {@code request} and ends the sending half once {@code halfCloseAfter} passed with no
   * answer begun (never when null): a request the server waits on for more is then seen as cut, and
   * one it answers is left whole.
   */
  Reply exchange(byte[] request, Duration limit, @Nullable Duration halfCloseAfter)
      throws IOException {
    try (SocketChannel c = connect()) {
      ScheduledFuture<?> closer = closeAfter(c, limit);
      try {
        try {
          write(c, request);
          if (halfCloseAfter != null
              && (halfCloseAfter.isZero() || !answerBegins(c, halfCloseAfter))) {
            c.shutdownOutput();
          }
        } catch (IOException refusedMidway) {
          // The server answered and closed before taking everything (a body over a limit): the
          // answer is still there to read.
        }
        boolean head =
            request.length >= 5
                && new String(request, 0, 5, StandardCharsets.ISO_8859_1).equals("HEAD ");
        return read(c, head);
      } finally {
        closer.cancel(false);
      }
    }
  }

  /** Sends {@code text} (US-ASCII) as a request: see {@link #exchange(byte[], Duration)}. */
  Reply exchange(String text) throws IOException {
    return exchange(text.getBytes(StandardCharsets.ISO_8859_1), Duration.ofSeconds(10));
  }

  /** Closes {@code c} after {@code limit}, which ends a read that waits on it. */
  ScheduledFuture<?> closeAfter(SocketChannel c, Duration limit) {
    return watchdog.schedule(
        () -> {
          try {
            c.close();
          } catch (IOException ignored) {
            // Closed either way.
          }
        },
        limit.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** Whether something comes to read on {@code c} within {@code wait}. */
  private static boolean answerBegins(SocketChannel c, Duration wait) throws IOException {
    c.configureBlocking(false);
    try (java.nio.channels.Selector s = java.nio.channels.Selector.open()) {
      java.nio.channels.SelectionKey key = c.register(s, java.nio.channels.SelectionKey.OP_READ);
      boolean ready = s.select(Math.max(1, wait.toMillis())) > 0;
      key.cancel();
      s.selectNow();
      return ready;
    } finally {
      c.configureBlocking(true);
    }
  }

  /** Whether the server has not closed {@code c} (a connection with nothing to read). */
  static boolean stillOpen(SocketChannel c) {
    try {
      c.configureBlocking(false);
      try {
        return c.read(ByteBuffer.allocate(1)) == 0;
      } finally {
        c.configureBlocking(true);
      }
    } catch (IOException closed) {
      return false;
    }
  }

  static void write(SocketChannel c, byte[] bytes) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(bytes);
    while (b.hasRemaining()) {
      c.write(b);
    }
  }

  /**
   * Reads one answer from {@code c}: its head, then its body by {@code Content-Length}, in chunks,
   * or to the end of the connection.
   */
  static Reply read(SocketChannel c) {
    return read(c, false);
  }

  /** Reads one answer, which has no body when it answers a HEAD request ({@code headOnly}). */
  static Reply read(SocketChannel c, boolean headOnly) {
    ByteArrayOutputStream in = new ByteArrayOutputStream();
    ByteBuffer buf = ByteBuffer.allocate(1 << 16);
    int headEnd = -1;
    try {
      while (true) {
        byte[] seen = in.toByteArray();
        if (headEnd < 0) {
          headEnd = indexOf(seen, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        }
        if (headEnd >= 0
            && status(new String(seen, 0, headEnd, StandardCharsets.ISO_8859_1)) == 100) {
          // An interim answer (to Expect: 100-continue): the answer follows it.
          byte[] rest = java.util.Arrays.copyOfRange(seen, headEnd + 4, seen.length);
          in.reset();
          in.writeBytes(rest);
          headEnd = -1;
          continue;
        }
        if (headEnd >= 0) {
          Reply r =
              headOnly
                  ? new Reply(
                      status(new String(seen, 0, headEnd, StandardCharsets.ISO_8859_1)),
                      new String(seen, 0, headEnd, StandardCharsets.ISO_8859_1),
                      new byte[0])
                  : whole(seen, headEnd);
          if (r != null) {
            return r;
          }
        }
        buf.clear();
        if (c.read(buf) < 0) {
          break;
        }
        in.write(buf.array(), 0, buf.position());
      }
    } catch (IOException closedByWatchdogOrPeer) {
      // What came is all there is.
    }
    byte[] seen = in.toByteArray();
    if (headEnd < 0) {
      return new Reply(Reply.NONE, new String(seen, StandardCharsets.ISO_8859_1), new byte[0]);
    }
    String head = new String(seen, 0, headEnd, StandardCharsets.ISO_8859_1);
    byte[] body = java.util.Arrays.copyOfRange(seen, headEnd + 4, seen.length);
    // A body without a length ends with the connection.
    boolean delimited =
        head.toLowerCase(java.util.Locale.ROOT).contains("content-length:")
            || head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked");
    return new Reply(delimited ? Reply.NONE : status(head), head, body);
  }

  /** The answer in {@code seen} if it is all there, else null. */
  private static Reply whole(byte[] seen, int headEnd) {
    String head = new String(seen, 0, headEnd, StandardCharsets.ISO_8859_1);
    int status = status(head);
    String lower = head.toLowerCase(java.util.Locale.ROOT);
    int start = headEnd + 4;
    if (status == 101 || status == 204 || status == 304) {
      return new Reply(status, head, new byte[0]);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("content-length: *(\\d+)").matcher(lower);
    if (length.find()) {
      int n = Integer.parseInt(length.group(1));
      return seen.length - start >= n
          ? new Reply(status, head, java.util.Arrays.copyOfRange(seen, start, start + n))
          : null;
    }
    if (lower.contains("transfer-encoding: chunked")) {
      ByteArrayOutputStream body = new ByteArrayOutputStream();
      int at = start;
      while (true) {
        int eol = indexOf(seen, new byte[] {'\r', '\n'}, at);
        if (eol < 0) {
          return null;
        }
        int size =
            Integer.parseInt(
                new String(seen, at, eol - at, StandardCharsets.US_ASCII).split(";")[0].strip(),
                16);
        if (size == 0) {
          return new Reply(status, head, body.toByteArray());
        }
        if (seen.length < eol + 2 + size + 2) {
          return null;
        }
        body.write(seen, eol + 2, size);
        at = eol + 2 + size + 2;
      }
    }
    return null;
  }

  private static int status(String head) {
    String[] first = head.split("\r\n", 2)[0].split(" ");
    try {
      return first.length > 1 ? Integer.parseInt(first[1]) : Reply.NONE;
    } catch (NumberFormatException e) {
      return Reply.NONE;
    }
  }

  private static int indexOf(byte[] in, byte[] what, int from) {
    outer:
    for (int i = from; i <= in.length - what.length; i++) {
      for (int j = 0; j < what.length; j++) {
        if (in[i + j] != what[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  @Override
  public void close() {
    watchdog.shutdownNow();
  }
}
