package io.jstack.engine.http;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** The status line and headers of an HTTP/1.1 response, and the streams that decode its body. */
record ResponseHead(int status, Map<String, List<String>> headers) {
  static ResponseHead read(InputStream in, String request) throws IOException {
    String status = line(in);
    if (status == null) {
      throw new IOException("connection closed before a response");
    }
    String[] parts = status.split(" ", 3);
    if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
      throw new IOException("not an HTTP response to " + request + ": " + status);
    }
    int code;
    try {
      code = Integer.parseInt(parts[1]);
    } catch (NumberFormatException e) {
      throw new IOException("not an HTTP status in the answer to " + request + ": " + status, e);
    }
    Map<String, List<String>> headers = new LinkedHashMap<>();
    for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers
            .computeIfAbsent(line.substring(0, colon).trim(), k -> new ArrayList<>())
            .add(line.substring(colon + 1).trim());
      }
    }
    if (code == 100) {
      return read(in, request);
    }
    return new ResponseHead(code, headers);
  }

  @Nullable String header(String name) {
    return HttpResponse.first(headers, name);
  }

  /** One CRLF- (or LF-) terminated line of the head, without its terminator; null at the end. */
  static @Nullable String line(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    int c;
    while ((c = in.read()) >= 0) {
      if (c == '\n') {
        int end = line.length();
        if (end > 0 && line.charAt(end - 1) == '\r') {
          line.setLength(end - 1);
        }
        return line.toString();
      }
      if (line.length() > 64 * 1024) {
        throw new IOException("a response header line longer than 64 KiB");
      }
      line.append((char) c);
    }
    return line.length() == 0 ? null : line.toString();
  }

  /**
   * A body read straight from the connection in runs of {@code left} bytes: one run of the whole
   * length for a sized body, one per chunk for a chunked one ({@link #next()} finds the next run).
   */
  abstract static class Body extends OneByteReads {
    final InputStream in;
    long left;

    Body(InputStream in, long left) {
      this.in = in;
      this.left = left;
    }

    /** Whether bytes remain, {@link #left} set to how many are in the current run. */
    abstract boolean next() throws IOException;

    /** What it means that the connection ended inside a run. */
    abstract String cutShort();

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!next()) {
        return -1;
      }
      int n = in.read(b, off, (int) Math.min(len, left));
      if (n < 0) {
        throw new IOException(cutShort());
      }
      left -= n;
      return n;
    }

    @Override
    public int available() throws IOException {
      return (int) Math.min(in.available(), left);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }

  /** A body of a known length. */
  static final class Sized extends Body {
    Sized(InputStream in, long length) {
      super(in, length);
    }

    @Override
    boolean next() {
      return left > 0;
    }

    @Override
    String cutShort() {
      return "the engine closed the connection " + left + " bytes short";
    }
  }

  /** A chunked body, decoded. */
  static final class Chunked extends Body {
    private boolean ended;

    Chunked(InputStream in) {
      super(in, 0);
    }

    @Override
    boolean next() throws IOException {
      while (left == 0) {
        if (ended) {
          return false;
        }
        String size = line(in);
        if (size == null) {
          throw new IOException("the engine closed the connection inside a chunked response");
        }
        if (size.isEmpty()) {
          continue; // the CRLF after a chunk's data
        }
        int semi = size.indexOf(';');
        try {
          left = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).trim(), 16);
        } catch (NumberFormatException e) {
          throw new IOException("a malformed chunk size in the engine's response: " + size, e);
        }
        if (left == 0) {
          ended = true;
          // Trailers, up to the empty line.
          for (String t = line(in); t != null && !t.isEmpty(); t = line(in)) {
            // ignored
          }
          return false;
        }
      }
      return true;
    }

    @Override
    String cutShort() {
      return "the engine closed the connection inside a chunk";
    }
  }

  /** An input stream whose single-byte read goes through its array read. */
  abstract static class OneByteReads extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }
  }
}
