package io.jstack.engine.docker;

import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.engine.http.HttpResponse;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import org.jspecify.annotations.Nullable;

/**
 * A container's log from the Engine API: the multiplexed stream (8-byte frame headers naming stdout
 * or stderr) for containers without a TTY, the raw stream for those with one; split into lines,
 * each with its timestamp when asked for.
 */
final class DockerLogStream implements LogStream {
  private final HttpResponse response;
  private final DataInputStream in;
  private final boolean multiplexed;
  private final boolean timestamps;
  private final Deque<Line> ready = new ArrayDeque<>();
  private final ByteArrayOutputStream[] partial = {
    new ByteArrayOutputStream(), new ByteArrayOutputStream()
  };
  private boolean ended;

  DockerLogStream(HttpResponse response, boolean multiplexed, boolean timestamps) {
    this.response = response;
    this.in = new DataInputStream(response.body());
    this.multiplexed = multiplexed;
    this.timestamps = timestamps;
  }

  @Override
  public Line next() {
    try {
      while (ready.isEmpty() && !ended) {
        readFrame();
      }
    } catch (IOException e) {
      if (ended) {
        return ready.poll();
      }
      throw new EngineException("the log stream broke: " + e.getMessage(), e);
    }
    return ready.poll();
  }

  private void readFrame() throws IOException {
    Source source = Source.STDOUT;
    byte[] payload;
    if (multiplexed) {
      Frame f = frame(in);
      if (f == null) {
        finish();
        return;
      }
      source = f.stderr() ? Source.STDERR : Source.STDOUT;
      payload = f.payload();
    } else {
      byte[] buf = new byte[8192];
      int n = in.read(buf);
      if (n < 0) {
        finish();
        return;
      }
      payload = java.util.Arrays.copyOf(buf, n);
    }
    ByteArrayOutputStream acc = partial[source.ordinal()];
    for (byte b : payload) {
      if (b == '\n') {
        emit(source, acc);
      } else {
        acc.write(b);
      }
    }
  }

  /** One frame of the multiplexed stream: its bytes, and whether they came from stderr. */
  record Frame(boolean stderr, byte[] payload) {}

  /** The next frame of a multiplexed stream, or null at its end. */
  static @Nullable Frame frame(DataInputStream in) throws IOException {
    byte[] header = new byte[8];
    try {
      in.readFully(header);
    } catch (EOFException e) {
      return null;
    }
    int size =
        ((header[4] & 0xff) << 24)
            | ((header[5] & 0xff) << 16)
            | ((header[6] & 0xff) << 8)
            | (header[7] & 0xff);
    byte[] payload = new byte[size];
    in.readFully(payload);
    return new Frame(header[0] == 2, payload);
  }

  /** Copies a multiplexed stream to {@code out} and {@code err} as it arrives, until it ends. */
  static void demultiplex(
      java.io.InputStream in, java.io.OutputStream out, java.io.OutputStream err)
      throws IOException {
    DataInputStream frames = new DataInputStream(in);
    for (Frame f = frame(frames); f != null; f = frame(frames)) {
      java.io.OutputStream to = f.stderr() ? err : out;
      to.write(f.payload());
      to.flush();
    }
  }

  private void finish() {
    ended = true;
    for (Source s : Source.values()) {
      if (partial[s.ordinal()].size() > 0) {
        emit(s, partial[s.ordinal()]);
      }
    }
  }

  private void emit(Source source, ByteArrayOutputStream acc) {
    String text = acc.toString(StandardCharsets.UTF_8);
    acc.reset();
    if (text.endsWith("\r")) {
      text = text.substring(0, text.length() - 1);
    }
    String ts = null;
    if (timestamps) {
      int space = text.indexOf(' ');
      if (space > 0) {
        ts = text.substring(0, space);
        text = text.substring(space + 1);
      }
    }
    ready.add(new Line(source, ts, text));
  }

  @Override
  public void close() {
    ended = true;
    response.close();
  }
}
