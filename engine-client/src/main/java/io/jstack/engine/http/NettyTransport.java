package io.jstack.engine.http;

import io.jstack.engine.EngineAddress;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;

/**
 * HTTP/1.1 over a unix socket or TCP with Netty: one connection per request (cheap on a unix
 * socket, and it lets a response stream for as long as it likes), reads paced by the reader of the
 * body so that a slow consumer of an endless log does not fill memory.
 */
public final class NettyTransport implements HttpTransport {
  private static final int CONNECT_TIMEOUT_MS = 10_000;
  private static final Object END = new Object();

  private final EngineAddress address;
  private final EventLoopGroup group;
  private final Class<? extends Channel> channelType;
  private final SocketAddress remote;
  private final String hostHeader;

  public NettyTransport(EngineAddress address) {
    this.address = address;
    boolean epoll = Epoll.isAvailable();
    if (address instanceof EngineAddress.Unix unix) {
      if (!epoll) {
        throw new IllegalStateException(
            "unix sockets need Netty's epoll transport, which is unavailable here: "
                + Epoll.unavailabilityCause());
      }
      this.channelType = EpollDomainSocketChannel.class;
      this.remote = new DomainSocketAddress(unix.socket().toString());
      this.hostHeader = "localhost";
    } else {
      EngineAddress.Tcp tcp = (EngineAddress.Tcp) address;
      this.channelType = epoll ? EpollSocketChannel.class : NioSocketChannel.class;
      this.remote = new InetSocketAddress(tcp.host(), tcp.port());
      this.hostHeader = tcp.host() + ":" + tcp.port();
    }
    this.group =
        new MultiThreadIoEventLoopGroup(
            1,
            r -> {
              Thread t = new Thread(r, "jstack-engine-io");
              t.setDaemon(true);
              return t;
            },
            epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
  }

  @Override
  public HttpResponse execute(HttpRequest request) throws IOException {
    ResponseReader reader = new ResponseReader();
    Channel channel = open(reader, request);
    io.netty.handler.codec.http.HttpResponse head = awaitHead(reader, channel, request);
    if (!request.wantsUpgrade() || head.status().code() != 101) {
      return new HttpResponse(head.status().code(), headers(head), reader.body, channel::close);
    }
    return new HttpResponse(
        101, headers(head), reader.body, channel::close, takeOver(channel, reader));
  }

  /** The raw connection after a switch of protocols. */
  private HttpConnection takeOver(Channel channel, ResponseReader reader) {
    // From here on bytes go out as they are: drop the request encoder.
    // Netty's codec removes itself on a switch of protocols; if it is still there, drop it.
    HttpClientCodec codec = channel.pipeline().get(HttpClientCodec.class);
    if (codec != null) {
      channel.pipeline().remove(codec);
    }
    channel.config().setAutoRead(true);
    return new HttpConnection() {
      private final java.io.OutputStream out =
          new java.io.OutputStream() {
            @Override
            public void write(int b) throws IOException {
              write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
              io.netty.channel.ChannelFuture f =
                  channel.writeAndFlush(Unpooled.copiedBuffer(b, off, len));
              f.syncUninterruptibly();
              if (!f.isSuccess()) {
                throw new IOException("the connection broke: " + f.cause().getMessage(), f.cause());
              }
            }

            @Override
            public void close() throws IOException {
              shutdownOutput();
            }
          };

      @Override
      public java.io.InputStream input() {
        return reader.body;
      }

      @Override
      public java.io.OutputStream output() {
        return out;
      }

      @Override
      public void shutdownOutput() throws IOException {
        if (channel instanceof io.netty.channel.socket.DuplexChannel d
            && d.isActive()
            && !d.isOutputShutdown()) {
          io.netty.channel.ChannelFuture f = d.shutdownOutput().awaitUninterruptibly();
          // A peer that closed the connection meanwhile (a process that ended at once) has shut
          // its output too: nothing is left to half-close.
          if (!f.isSuccess() && d.isOpen()) {
            throw new IOException(
                "cannot half-close the connection: " + f.cause().getMessage(), f.cause());
          }
        }
      }

      @Override
      public void close() {
        channel.close();
      }
    };
  }

  private static Map<String, List<String>> headers(io.netty.handler.codec.http.HttpResponse head) {
    Map<String, List<String>> headers = new LinkedHashMap<>();
    head.headers()
        .forEach(
            e -> headers.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return headers;
  }

  private Channel open(ResponseReader reader, HttpRequest request) throws IOException {
    Bootstrap b =
        new Bootstrap()
            .group(group)
            .channel(channelType)
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
            .option(ChannelOption.AUTO_READ, false)
            .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .handler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel ch) {
                    ch.pipeline().addLast(new HttpClientCodec(), reader);
                  }
                });
    Channel channel;
    try {
      channel = b.connect(remote).sync().channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted connecting to " + address);
    } catch (Exception e) {
      String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      if (address instanceof EngineAddress.Unix unix
          && !java.nio.file.Files.exists(unix.socket())) {
        why = "no such socket";
      }
      throw new IOException("cannot connect to the engine at " + address + ": " + why, e);
    }
    reader.channel = channel;
    send(channel, request);
    channel.read();
    return channel;
  }

  private io.netty.handler.codec.http.HttpResponse awaitHead(
      ResponseReader reader, Channel channel, HttpRequest request) throws IOException {
    try {
      return reader.head.get(CONNECT_TIMEOUT_MS * 6L, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      channel.close();
      Thread.currentThread().interrupt();
      throw new InterruptedIOException(
          "interrupted waiting for " + request.method() + " " + request.path());
    } catch (ExecutionException e) {
      channel.close();
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      throw new IOException(
          "the engine at "
              + address
              + " broke the connection during "
              + request.method()
              + " "
              + request.path()
              + ": "
              + cause.getMessage(),
          cause);
    } catch (TimeoutException e) {
      channel.close();
      throw new IOException(
          "the engine at "
              + address
              + " did not answer "
              + request.method()
              + " "
              + request.path()
              + " within 60 s");
    }
  }

  private void send(Channel channel, HttpRequest request) throws IOException {
    HttpMethod method = HttpMethod.valueOf(request.method());
    if (request.stream() == null) {
      byte[] body = request.body() == null ? new byte[0] : request.body();
      DefaultFullHttpRequest r =
          new DefaultFullHttpRequest(
              HttpVersion.HTTP_1_1, method, request.path(), Unpooled.wrappedBuffer(body));
      headers(r, request);
      r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
      channel.writeAndFlush(r);
      return;
    }
    DefaultHttpRequest r = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, request.path());
    headers(r, request);
    r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    channel.write(r);
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = request.stream()) {
      int n;
      while ((n = in.read(buf)) > 0) {
        channel
            .writeAndFlush(new DefaultHttpContent(Unpooled.copiedBuffer(buf, 0, n)))
            .syncUninterruptibly();
      }
    }
    channel.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  private void headers(io.netty.handler.codec.http.HttpRequest r, HttpRequest request) {
    r.headers().set(HttpHeaderNames.HOST, hostHeader);
    r.headers().set(HttpHeaderNames.USER_AGENT, "jstack");
    request.headers().forEach((k, v) -> r.headers().set(k, v));
  }

  @Override
  public void close() {
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
  }

  /**
   * Hands the response head to the caller and the body to a stream that asks for more as it reads.
   */
  private static final class ResponseReader extends SimpleChannelInboundHandler<Object> {
    final CompletableFuture<io.netty.handler.codec.http.HttpResponse> head =
        new CompletableFuture<>();
    final LinkedBlockingQueue<Object> chunks = new LinkedBlockingQueue<>();
    volatile @Nullable Channel channel;
    final BodyStream body = new BodyStream(this);

    volatile boolean upgraded;

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof ByteBuf raw) {
        // After a protocol switch the codec passes bytes through as they are.
        if (raw.isReadable()) {
          byte[] bytes = new byte[raw.readableBytes()];
          raw.readBytes(bytes);
          chunks.add(bytes);
        }
        return;
      }
      if (msg instanceof io.netty.handler.codec.http.HttpResponse r) {
        head.complete(r);
        if (r.status().code() == 101) {
          upgraded = true;
          return;
        }
      }
      if (upgraded && msg instanceof HttpContent) {
        // The end of the 101 response itself; the raw stream follows.
        return;
      }
      if (msg instanceof HttpContent c) {
        ByteBuf content = c.content();
        if (content.isReadable()) {
          byte[] bytes = new byte[content.readableBytes()];
          content.readBytes(bytes);
          chunks.add(bytes);
        }
        if (msg instanceof LastHttpContent) {
          chunks.add(END);
          ctx.close();
          return;
        }
      }
      if (!(msg instanceof HttpContent) || chunks.isEmpty()) {
        ctx.read();
      }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
        // The other side finished sending; ours may go on (half-closed connection).
        chunks.add(END);
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      head.completeExceptionally(new IOException("connection closed before a response"));
      chunks.add(END);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      head.completeExceptionally(cause);
      chunks.add(cause);
      ctx.close();
    }
  }

  /** The body as an InputStream; each time it runs dry it asks the channel for more. */
  private static final class BodyStream extends InputStream {
    private final ResponseReader reader;
    private byte[] current = new byte[0];
    private int pos;
    private boolean ended;

    BodyStream(ResponseReader reader) {
      this.reader = reader;
    }

    private boolean fill() throws IOException {
      while (pos >= current.length) {
        if (ended) {
          return false;
        }
        Object next = reader.chunks.poll();
        if (next == null) {
          Channel ch = reader.channel;
          if (ch != null && ch.isActive()) {
            ch.read();
          }
          try {
            next = reader.chunks.take();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted reading a response");
          }
        }
        if (next == END) {
          ended = true;
          return false;
        }
        if (next instanceof Throwable t) {
          ended = true;
          throw new IOException("the connection to the engine broke: " + t.getMessage(), t);
        }
        current = (byte[]) next;
        pos = 0;
      }
      return true;
    }

    @Override
    public int read() throws IOException {
      return fill() ? current[pos++] & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      if (!fill()) {
        return -1;
      }
      int n = Math.min(len, current.length - pos);
      System.arraycopy(current, pos, b, off, n);
      pos += n;
      return n;
    }

    @Override
    public int available() {
      return current.length - pos;
    }

    @Override
    public void close() {
      Channel ch = reader.channel;
      if (ch != null) {
        ch.close();
      }
    }
  }
}
