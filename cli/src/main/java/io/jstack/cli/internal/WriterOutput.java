package io.jstack.cli.internal;

import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Bytes written as UTF-8 text to a writer, for callers that hold jstack's output only as a writer
 * (tests run commands in-process). A character split across two writes is kept until its last byte
 * arrives; malformed bytes become U+FFFD.
 */
public final class WriterOutput extends OutputStream {
  private final PrintWriter writer;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private ByteBuffer pending = ByteBuffer.allocate(0);

  public WriterOutput(PrintWriter writer) {
    this.writer = writer;
  }

  @Override
  public void write(int b) {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public synchronized void write(byte[] b, int off, int len) {
    ByteBuffer in = ByteBuffer.allocate(pending.remaining() + len);
    in.put(pending).put(b, off, len).flip();
    CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, out, false);
    out.flip();
    writer.append(out);
    pending = in.slice();
  }

  @Override
  public synchronized void flush() {
    writer.flush();
  }

  @Override
  public synchronized void close() {
    if (pending.hasRemaining()) {
      CharBuffer out = CharBuffer.allocate(pending.remaining() + 1);
      decoder.decode(pending, out, true);
      decoder.flush(out);
      out.flip();
      writer.append(out);
      pending = ByteBuffer.allocate(0);
    }
    writer.flush();
  }
}
