package io.jstack.runtime.image.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * A gzip stream compressed on every core: the input is cut into blocks of {@link #BLOCK} bytes,
 * each compressed at the fastest level into a gzip member of its own on a shared pool, and the
 * members written in order. Concatenated members are one gzip stream to every reader (RFC 1952;
 * Go's and the JDK's readers, as registries' clients, read them through), the output depends on the
 * input alone, and a block's fresh dictionary costs next to nothing at this size. What a layer of
 * hundreds of megabytes needs: one core deflates about 45 MB/s here.
 */
public final class ParallelGzip extends OutputStream {
  /** The input each member holds (the last one less). */
  static final int BLOCK = 1 << 20;

  private static final int THREADS = Math.max(1, Runtime.getRuntime().availableProcessors());

  private static final ExecutorService POOL =
      Executors.newFixedThreadPool(
          THREADS,
          r -> {
            Thread t = new Thread(r, "gzip");
            t.setDaemon(true);
            return t;
          });

  private final OutputStream out;
  private final ArrayDeque<Future<byte[]>> pending = new ArrayDeque<>();
  private byte[] block = new byte[BLOCK];
  private int filled;
  private boolean finished;
  private boolean started;

  /** Compresses onto {@code out}, which {@link #finish} and {@link #close} leave open. */
  public ParallelGzip(OutputStream out) {
    this.out = out;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int offset, int length) throws IOException {
    if (finished) {
      throw new IOException("the gzip stream is finished");
    }
    int off = offset;
    int len = length;
    while (len > 0) {
      int n = Math.min(len, BLOCK - filled);
      System.arraycopy(b, off, block, filled, n);
      filled += n;
      off += n;
      len -= n;
      if (filled == BLOCK) {
        submit();
      }
    }
  }

  /** Compresses what is buffered and writes every member; nothing may be written after. */
  public void finish() throws IOException {
    if (finished) {
      return;
    }
    if (filled > 0 || !started) {
      submit(); // also the one member of an empty stream
    }
    while (!pending.isEmpty()) {
      out.write(next());
    }
    finished = true;
  }

  /** Finishes, leaving the underlying stream open. */
  @Override
  public void close() throws IOException {
    finish();
  }

  private void submit() throws IOException {
    started = true;
    byte[] input = filled == BLOCK ? block : Arrays.copyOf(block, filled);
    pending.add(POOL.submit(() -> member(input)));
    block = new byte[BLOCK];
    filled = 0;
    // At most two blocks per core in flight: memory stays bounded, and every core busy.
    while (pending.size() > 2 * THREADS) {
      out.write(next());
    }
  }

  private byte[] next() throws IOException {
    Future<byte[]> head = pending.remove();
    try {
      return head.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      pending.forEach(f -> f.cancel(true));
      throw new InterruptedIOException("interrupted while compressing");
    } catch (ExecutionException e) {
      pending.forEach(f -> f.cancel(true));
      throw new IOException("compressing a layer failed: " + e.getCause(), e.getCause());
    }
  }

  private static byte[] member(byte[] input) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(input.length / 2 + 64);
    try (GZIPOutputStream gz =
        new GZIPOutputStream(bytes, 1 << 16) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
      gz.write(input);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
    }
    return bytes.toByteArray();
  }
}
