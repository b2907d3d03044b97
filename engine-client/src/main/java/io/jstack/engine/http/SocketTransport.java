package io.jstack.engine.http;

import io.jstack.engine.EngineAddress;
import io.jstack.engine.tls.TlsFiles;
import java.io.BufferedInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a unix socket or TCP with nothing but the JDK's blocking sockets: one connection
 * per request (cheap on a unix socket, and it lets a response stream for as long as it likes). The
 * caller's thread does all the work, so a command that makes three requests loads no event loop, no
 * buffer pools and no threads; reads are paced by the reader of the body, so a slow consumer of an
 * endless log does not fill memory.
 */
public final class SocketTransport implements HttpTransport {
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final int HEAD_TIMEOUT_MS = 60_000;
  private static final int CHUNK = 64 * 1024;

  private final EngineAddress address;
  private final String hostHeader;

  /** The TLS context of a TCP address with TLS files, made on first use. */
  private @Nullable SSLContext tls;

  /** Connections that may still be open: {@link #close} ends them (streams being followed). */
  private final java.util.Set<Wire> wires = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private volatile boolean closed;

  public SocketTransport(EngineAddress address) {
    this.address = address;
    this.hostHeader =
        address instanceof EngineAddress.Tcp tcp ? tcp.host() + ":" + tcp.port() : "localhost";
  }

  @Override
  public HttpResponse execute(HttpRequest request) throws IOException {
    Wire wire = connect();
    try {
      send(wire, request);
      wire.headTimeout(true);
      ResponseHead head = ResponseHead.read(wire.in, describe(request));
      wire.headTimeout(false);
      if (request.wantsUpgrade() && head.status() == 101) {
        return new HttpResponse(101, head.headers(), wire.in, wire, wire);
      }
      return new HttpResponse(head.status(), head.headers(), body(head, wire), wire);
    } catch (SocketTimeoutException e) {
      wire.close();
      throw new IOException(
          "the engine at "
              + address
              + " did not answer "
              + describe(request)
              + " within "
              + HEAD_TIMEOUT_MS / 1000
              + " s",
          e);
    } catch (SSLException e) {
      // TLS 1.3 settles the client's certificate after the handshake: a refusal comes here.
      TlsFailure failure =
          understood(e) ? new TlsFailure(tlsFailure(e), e) : refusedAfter(wire.in, e);
      wire.close();
      throw failure;
    } catch (IOException | RuntimeException e) {
      if (e instanceof IOException io && wire.tls && !(e instanceof InterruptedIOException)) {
        // An engine that refused the certificate may have closed before the request was written.
        TlsFailure refused = refusedAfter(wire.in, io);
        wire.close();
        throw refused;
      }
      wire.close();
      if (e instanceof InterruptedIOException || e.getMessage() == null) {
        throw e;
      }
      throw new IOException(
          "the engine at "
              + address
              + " broke the connection during "
              + describe(request)
              + ": "
              + e.getMessage(),
          e);
    }
  }

  private static String describe(HttpRequest request) {
    return request.method() + " " + request.path();
  }

  /** What follows the head: a sized body, chunks, or everything until the engine closes. */
  private static InputStream body(ResponseHead head, Wire wire) {
    if (head.status() == 204 || head.status() == 304) {
      return InputStream.nullInputStream();
    }
    String encoding = head.header("Transfer-Encoding");
    if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
      return new ResponseHead.Chunked(wire.in);
    }
    String length = head.header("Content-Length");
    if (length != null) {
      try {
        return new ResponseHead.Sized(wire.in, Long.parseLong(length.trim()));
      } catch (NumberFormatException e) {
        // A malformed length: read until the engine closes, as with no length at all.
      }
    }
    return wire.in;
  }

  private Wire connect() throws IOException {
    if (closed) {
      throw new IOException("the connection to the engine at " + address + " was closed");
    }
    Wire wire = open();
    wires.removeIf(w -> !w.isOpen());
    wires.add(wire);
    if (closed) {
      wire.close();
    }
    return wire;
  }

  private Wire open() throws IOException {
    try {
      if (address instanceof EngineAddress.Unix unix) {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
          channel.connect(UnixDomainSocketAddress.of(unix.socket()));
        } catch (IOException e) {
          channel.close();
          throw e;
        }
        return Wire.of(channel);
      }
      EngineAddress.Tcp tcp = (EngineAddress.Tcp) address;
      Socket socket = new Socket();
      try {
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress(tcp.host(), tcp.port()), CONNECT_TIMEOUT_MS);
        if (tcp.tls() != null) {
          socket = handshake(socket, tcp, tcp.tls());
        }
      } catch (IOException e) {
        socket.close();
        throw e;
      }
      return Wire.of(socket);
    } catch (TlsFailure e) {
      throw e;
    } catch (SSLException e) {
      throw new TlsFailure(tlsFailure(e), e);
    } catch (IOException e) {
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      if (address instanceof EngineAddress.Unix unix && !Files.exists(unix.socket())) {
        why = "no such socket";
      }
      throw new IOException("cannot connect to the engine at " + address + ": " + why, e);
    }
  }

  /** A TLS failure, said with what to do: no engine is missing, so no hint to start one. */
  public static final class TlsFailure extends IOException {
    private static final long serialVersionUID = 1L;

    TlsFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * Why a TLS connection broke ({@code e}): the alert the engine sent before it closed, when
   * reading shows one, else the likeliest cause, a refused certificate.
   */
  private TlsFailure refusedAfter(InputStream in, IOException e) {
    try {
      in.read();
    } catch (SSLException alert) {
      if (understood(alert)) {
        return new TlsFailure(tlsFailure(alert), e);
      }
    } catch (IOException | RuntimeException nothing) {
      // Nothing more to read: the reason stays a guess.
    }
    return new TlsFailure(closedMessage(String.valueOf(e.getMessage())), e);
  }

  /**
   * Mutual TLS over {@code socket}: TLS 1.2 or newer, the engine's certificate signed by the CA and
   * made out to the host name or address connected to (as Docker's CLI checks it).
   */
  private SSLSocket handshake(Socket socket, EngineAddress.Tcp tcp, TlsFiles files)
      throws IOException {
    SSLContext context;
    synchronized (this) {
      if (tls == null) {
        try {
          tls = files.clientContext();
        } catch (io.jstack.engine.tls.TlsException e) {
          throw new TlsFailure(
              "DOCKER_TLS_VERIFY asks for TLS with "
                  + tcp
                  + ", but "
                  + e.getMessage()
                  + " (DOCKER_CERT_PATH names the directory with ca.pem, cert.pem and key.pem)",
              e);
        }
      }
      context = tls;
    }
    SSLSocket ssl =
        (SSLSocket) context.getSocketFactory().createSocket(socket, tcp.host(), tcp.port(), true);
    SSLParameters parameters = ssl.getSSLParameters();
    parameters.setProtocols(TlsFiles.PROTOCOLS.toArray(String[]::new));
    parameters.setEndpointIdentificationAlgorithm("HTTPS");
    ssl.setSSLParameters(parameters);
    ssl.setSoTimeout(CONNECT_TIMEOUT_MS);
    InputStream in = ssl.getInputStream();
    try {
      ssl.startHandshake();
    } catch (SSLException e) {
      if (understood(e)) {
        throw new TlsFailure(tlsFailure(e), e);
      }
      // The engine closed while the handshake's last flight was written: its alert may be there.
      throw refusedAfter(in, e);
    } catch (IOException e) {
      throw refusedAfter(in, e);
    }
    ssl.setSoTimeout(0);
    return ssl;
  }

  /** Whether {@link #tlsFailure} can say what {@code e} means (else it is a broken connection). */
  private static boolean understood(SSLException e) {
    String why = String.valueOf(e.getMessage());
    return why.contains("PKIX")
        || why.contains("certification path")
        || why.contains("subject alternative")
        || why.contains("No name matching")
        || why.contains("alert");
  }

  /** What a TLS failure means for the user, and what to do. */
  private String tlsFailure(SSLException e) {
    String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    TlsFiles files = address instanceof EngineAddress.Tcp tcp ? tcp.tls() : null;
    String where =
        files == null
            ? "DOCKER_CERT_PATH"
            : String.valueOf(files.cert().toAbsolutePath().getParent());
    if (why.contains("PKIX") || why.contains("certification path")) {
      return "the engine at "
          + address
          + " presented a certificate not signed by the CA in "
          + (files == null ? "DOCKER_CERT_PATH" : files.ca())
          + ": use the ca.pem the engine's certificates were issued with ("
          + why
          + ")";
    }
    if (why.contains("subject alternative") || why.contains("No name matching")) {
      return "the engine at "
          + address
          + " presented a certificate that is not for that name or address: issue its"
          + " certificate for it (jstack engine certs DIR --host NAME --ip ADDR) ("
          + why
          + ")";
    }
    if (why.contains("alert")) {
      return "the engine at "
          + address
          + " refused this client's certificate ("
          + why
          + "): use a cert.pem and key.pem in "
          + where
          + " that the engine's CA issued and that have not expired";
    }
    return closedMessage(why);
  }

  /** The engine closed a TLS connection without saying why: a refused certificate, most likely. */
  private String closedMessage(String why) {
    return "the engine at "
        + address
        + " closed the TLS connection ("
        + why
        + "): most likely it refused this client's certificate; use a cert.pem and key.pem"
        + " that the engine's CA issued and that have not expired";
  }

  private void send(Wire wire, HttpRequest request) throws IOException {
    StringBuilder head = new StringBuilder(256);
    head.append(request.method()).append(' ').append(request.path()).append(" HTTP/1.1\r\n");
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Host", hostHeader);
    headers.put("User-Agent", "jstack");
    request.headers().forEach(headers::put);
    InputStream stream = request.stream();
    byte[] body = request.body() == null ? new byte[0] : request.body();
    if (stream == null) {
      headers.put("Content-Length", Integer.toString(body.length));
    } else {
      headers.put("Transfer-Encoding", "chunked");
    }
    headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    if (stream == null) {
      byte[] whole = new byte[headBytes.length + body.length];
      System.arraycopy(headBytes, 0, whole, 0, headBytes.length);
      System.arraycopy(body, 0, whole, headBytes.length, body.length);
      wire.out.write(whole);
      return;
    }
    wire.out.write(headBytes);
    byte[] buf = new byte[CHUNK];
    try (InputStream in = stream) {
      int n;
      while ((n = in.readNBytes(buf, 0, buf.length)) > 0) {
        byte[] size = (Integer.toHexString(n) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        wire.out.write(size);
        wire.out.write(buf, 0, n);
        wire.out.write(CRLF);
      }
    }
    wire.out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
  }

  private static final byte[] CRLF = {'\r', '\n'};

  /**
   * Ends the connections whose responses are still open (a log or event stream being followed), so
   * that their readers stop; no request is sent afterwards.
   */
  @Override
  public void close() {
    closed = true;
    wires.forEach(Wire::close);
    wires.clear();
  }

  /**
   * One connection: a unix socket channel or a TCP socket, with streams that read and write
   * independently (Docker's attach reads and writes at once), a half-close, and a bound on how long
   * the response head may take.
   */
  private static final class Wire implements HttpConnection {
    final InputStream in;
    final OutputStream out;
    private final AutoCloseable closer;
    private final ShutdownOutput shutdown;
    private final HeadTimeout headTimeout;
    private final java.util.function.BooleanSupplier open;

    /** Whether it is a TLS connection. */
    boolean tls;

    private interface ShutdownOutput {
      void run() throws IOException;
    }

    private interface HeadTimeout {
      void set(boolean on) throws IOException;
    }

    private Wire(
        InputStream in,
        OutputStream out,
        AutoCloseable closer,
        ShutdownOutput shutdown,
        HeadTimeout headTimeout,
        java.util.function.BooleanSupplier open) {
      this.in = in;
      this.out = out;
      this.closer = closer;
      this.shutdown = shutdown;
      this.headTimeout = headTimeout;
      this.open = open;
    }

    /** Whether the connection is still open. */
    boolean isOpen() {
      return open.getAsBoolean();
    }

    static Wire of(Socket socket) throws IOException {
      Wire w = wireOf(socket);
      w.tls = socket instanceof SSLSocket;
      return w;
    }

    private static Wire wireOf(Socket socket) throws IOException {
      return new Wire(
          new BufferedInputStream(socket.getInputStream(), CHUNK),
          new NoCloseOutput(socket.getOutputStream(), socket::shutdownOutput),
          socket,
          () -> {
            if (!socket.isClosed() && !socket.isOutputShutdown()) {
              socket.shutdownOutput();
            }
          },
          on -> socket.setSoTimeout(on ? HEAD_TIMEOUT_MS : 0),
          () -> !socket.isClosed());
    }

    static Wire of(SocketChannel channel) {
      // Channels.newInputStream would hold the channel's blocking lock while it waits to read,
      // which blocks every write meanwhile; these streams call the channel directly instead.
      InputStream raw =
          new ResponseHead.OneByteReads() {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
              if (len == 0) {
                return 0;
              }
              int n;
              do {
                n = channel.read(ByteBuffer.wrap(b, off, len));
              } while (n == 0);
              return n;
            }

            @Override
            public void close() throws IOException {
              channel.close();
            }
          };
      OutputStream out =
          new OutputStream() {
            @Override
            public void write(int b) throws IOException {
              writeFully(ByteBuffer.allocate(1).put(0, (byte) b));
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              writeFully(ByteBuffer.wrap(b, off, len));
            }

            private void writeFully(ByteBuffer buffer) throws IOException {
              while (buffer.hasRemaining()) {
                channel.write(buffer);
              }
            }

            @Override
            public void close() throws IOException {
              if (channel.isOpen()) {
                channel.shutdownOutput();
              }
            }
          };
      HeadTimer timer = new HeadTimer(channel);
      return new Wire(
          new BufferedInputStream(raw, CHUNK),
          out,
          () -> {
            timer.set(false);
            channel.close();
          },
          () -> {
            if (channel.isOpen()) {
              channel.shutdownOutput();
            }
          },
          timer::set,
          channel::isOpen);
    }

    void headTimeout(boolean on) throws IOException {
      headTimeout.set(on);
    }

    @Override
    public InputStream input() {
      return in;
    }

    @Override
    public OutputStream output() {
      return out;
    }

    @Override
    public void shutdownOutput() throws IOException {
      try {
        shutdown.run();
      } catch (IOException e) {
        // A peer that closed the connection meanwhile (an exec that ended at once) has nothing
        // left to read: there is no half to close. Anything else shows on the next read.
      }
    }

    @Override
    public void close() {
      try {
        closer.close();
      } catch (Exception e) {
        // Closing a connection that already ended is not an error.
      }
    }
  }

  /** A socket's output stream whose close half-closes instead of closing the whole socket. */
  private static final class NoCloseOutput extends FilterOutputStream {
    private final Wire.ShutdownOutput shutdown;

    NoCloseOutput(OutputStream out, Wire.ShutdownOutput shutdown) {
      super(out);
      this.shutdown = shutdown;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      shutdown.run();
    }
  }

  /**
   * A unix socket channel has no read timeout: a timer closes the channel when the response head
   * has not arrived in time. The timer's thread is made on first use, so a request answered at once
   * costs none.
   */
  private static final class HeadTimer {
    private final SocketChannel channel;
    private @Nullable ScheduledFuture<?> pending;

    HeadTimer(SocketChannel channel) {
      this.channel = channel;
    }

    synchronized void set(boolean on) {
      if (pending != null) {
        pending.cancel(false);
        pending = null;
      }
      if (on) {
        pending =
            Timers.INSTANCE.schedule(
                () -> {
                  try {
                    channel.close();
                  } catch (IOException e) {
                    // Already closed.
                  }
                },
                HEAD_TIMEOUT_MS,
                TimeUnit.MILLISECONDS);
      }
    }
  }

  private static final class Timers {
    static final ScheduledThreadPoolExecutor INSTANCE = make();

    private static ScheduledThreadPoolExecutor make() {
      ScheduledThreadPoolExecutor e =
          new ScheduledThreadPoolExecutor(
              1,
              r -> {
                Thread t = new Thread(r, "jstack-engine-timeout");
                t.setDaemon(true);
                return t;
              });
      e.setRemoveOnCancelPolicy(true);
      return e;
    }
  }
}
