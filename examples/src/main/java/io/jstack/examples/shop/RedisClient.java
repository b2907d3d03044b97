package io.jstack.examples.shop;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import org.jspecify.annotations.Nullable;

/**
 * A Redis client for the few commands the shop uses, speaking RESP 2 ({@link Resp}) over one
 * socket.
 *
 * <p>Calls are serialised on the one connection. A call that fails on a connection that already
 * served one before (Redis restarted, or closed an idle client) is sent once more on a new
 * connection; a failure on a new connection is the caller's. A reply lost after Redis ran the
 * command would run it twice: Redis would have to crash between the two, which the shop accepts.
 */
public final class RedisClient implements Closeable {
  private final String host;
  private final int port;
  private final int timeoutMillis;
  private @Nullable Socket socket;
  private @Nullable InputStream in;
  private @Nullable OutputStream out;
  private boolean used;

  /** A client of the Redis at host:port; it connects at the first call. */
  public RedisClient(String host, int port, int timeoutMillis) {
    this.host = host;
    this.port = port;
    this.timeoutMillis = timeoutMillis;
  }

  /** Sends {@code PING}; Redis answers {@code PONG}. */
  public String ping() throws IOException {
    return String.valueOf(call("PING"));
  }

  /** Adds one to the integer at key (0 if absent) and returns the new value. */
  public long incr(String key) throws IOException {
    if (call("INCR", key) instanceof Long n) {
      return n;
    }
    throw new IOException("Redis answered INCR " + key + " with no integer");
  }

  /** The string at key, or null when there is none. */
  public @Nullable String get(String key) throws IOException {
    Object v = call("GET", key);
    return v == null ? null : String.valueOf(v);
  }

  /** Sets key to value. */
  public void set(String key, String value) throws IOException {
    call("SET", key, value);
  }

  /**
   * Sends one command and reads its reply: a String, a Long, a List or null.
   *
   * @throws RedisError when Redis answers with an error; the connection stays usable
   * @throws IOException when Redis cannot be reached or breaks the protocol
   */
  public synchronized @Nullable Object call(String... command) throws IOException {
    boolean retry = socket != null && used;
    try {
      return roundTrip(command);
    } catch (RedisError e) {
      throw e;
    } catch (IOException e) {
      close();
      if (!retry) {
        throw e;
      }
      return roundTrip(command);
    }
  }

  private @Nullable Object roundTrip(String... command) throws IOException {
    InputStream i = in;
    OutputStream o = out;
    if (socket == null || i == null || o == null) {
      Socket s = new Socket();
      try {
        s.connect(new InetSocketAddress(host, port), timeoutMillis);
        s.setSoTimeout(timeoutMillis);
        i = new BufferedInputStream(s.getInputStream());
        o = new BufferedOutputStream(s.getOutputStream());
      } catch (IOException e) {
        s.close();
        throw new IOException("cannot connect to Redis at " + host + ":" + port + ": " + e, e);
      }
      socket = s;
      in = i;
      out = o;
      used = false;
    }
    Resp.write(o, command);
    Object reply = Resp.read(i);
    used = true;
    return reply;
  }

  /** Closes the connection; the next call opens a new one. */
  @Override
  public synchronized void close() {
    Socket s = socket;
    socket = null;
    in = null;
    out = null;
    if (s != null) {
      try {
        s.close();
      } catch (IOException e) {
        // closing a broken socket: nothing more to do
      }
    }
  }
}
