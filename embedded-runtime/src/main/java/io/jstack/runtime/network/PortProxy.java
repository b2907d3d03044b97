package io.jstack.runtime.network;

import io.jstack.engine.EngineException;
import io.jstack.runtime.internal.Daemons;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.DuplexChannel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * Published ports: a userland proxy in the engine (Netty, epoll) from a host address and port to a
 * container's address and port, for TCP (a connection to the container per connection, both halves
 * closed apart) and UDP (a socket to the container per client, answers sent back).
 */
public final class PortProxy implements AutoCloseable {
  /** What a container publishes: {@code hostPort} 0 asks for a free one. */
  public record Binding(String protocol, String hostIp, int hostPort, int containerPort) {}

  private final EventLoopGroup group =
      new MultiThreadIoEventLoopGroup(
          0, Daemons.named("jstack-ports"), EpollIoHandler.newFactory());

  /** Listening channels by owner (a container id). */
  private final Map<String, List<Channel>> open = new ConcurrentHashMap<>();

  /**
   * Listens on {@code b}'s host address and port for {@code owner}, passing everything on to {@code
   * target}:{@code b.containerPort()}; returns the host port (the chosen one for 0).
   *
   * @throws EngineException when the host port is taken, naming it
   */
  public int open(String owner, Binding b, long target) {
    InetSocketAddress to = new InetSocketAddress(DnsServer.inet(target), b.containerPort());
    String ip = b.hostIp() == null || b.hostIp().isEmpty() ? "0.0.0.0" : b.hostIp();
    InetSocketAddress at = new InetSocketAddress(ip, b.hostPort());
    Channel ch;
    try {
      ch =
          b.protocol().equals("udp")
              ? new Bootstrap()
                  .group(group)
                  .channel(EpollDatagramChannel.class)
                  .handler(new UdpRelay(to))
                  .bind(at)
                  .sync()
                  .channel()
              : new ServerBootstrap()
                  .group(group)
                  .channel(EpollServerSocketChannel.class)
                  .childOption(ChannelOption.AUTO_READ, false)
                  .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                  .childHandler(
                      new ChannelInitializer<Channel>() {
                        @Override
                        protected void initChannel(Channel c) {
                          c.pipeline().addLast(new TcpFront(to));
                        }
                      })
                  .bind(at)
                  .sync()
                  .channel();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted publishing port " + b.hostPort(), e);
    } catch (Exception e) { // bind failures come as checked native errors
      throw new EngineException(
          "cannot publish "
              + ip
              + ":"
              + b.hostPort()
              + "/"
              + b.protocol()
              + " (is the port taken?): "
              + e.getMessage(),
          e);
    }
    open.computeIfAbsent(owner, k -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(ch);
    return ((InetSocketAddress) ch.localAddress()).getPort();
  }

  /** Stops every listener of {@code owner} (connections under way end too). */
  public void closeAll(String owner) {
    List<Channel> channels = open.remove(owner);
    for (Channel c : channels == null ? List.<Channel>of() : channels) {
      c.close().awaitUninterruptibly();
    }
  }

  @Override
  public void close() {
    new ArrayList<>(open.keySet()).forEach(this::closeAll);
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** The client's side of a TCP connection: opens the container's side, then relays. */
  private final class TcpFront extends ChannelInboundHandlerAdapter {
    private final InetSocketAddress target;
    private @Nullable Channel back;

    TcpFront(InetSocketAddress target) {
      this.target = target;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      Channel front = ctx.channel();
      new Bootstrap()
          .group(front.eventLoop())
          .channel(EpollSocketChannel.class)
          .option(ChannelOption.AUTO_READ, false)
          .option(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .handler(new Pipe(front))
          .connect(target)
          .addListener(
              (ChannelFutureListener)
                  f -> {
                    if (f.isSuccess()) {
                      back = f.channel();
                      front.read();
                      back.read();
                    } else {
                      front.close();
                    }
                  });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      // Reading starts only once the container's side is connected.
      relay(ctx.channel(), Objects.requireNonNull(back), msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent && back != null) {
        halfClose(back);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      if (back != null) {
        back.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
      }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** The container's side of a TCP connection: relays back to the client. */
  private static final class Pipe extends ChannelInboundHandlerAdapter {
    private final Channel front;

    Pipe(Channel front) {
      this.front = front;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      relay(ctx.channel(), front, msg);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof ChannelInputShutdownEvent) {
        halfClose(front);
      }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      front.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /** Writes {@code msg} to {@code to}; reads the next from {@code from} once it is written. */
  private static void relay(Channel from, Channel to, Object msg) {
    to.writeAndFlush(msg)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  if (f.isSuccess()) {
                    from.read();
                  } else {
                    from.close();
                  }
                });
  }

  /** Ends what goes to {@code to} once what is under way is written; both ends closed: closes. */
  private static void halfClose(Channel to) {
    to.writeAndFlush(Unpooled.EMPTY_BUFFER)
        .addListener(
            (ChannelFutureListener)
                f -> {
                  DuplexChannel d = (DuplexChannel) to;
                  if (d.isInputShutdown()) {
                    d.close();
                  } else {
                    d.shutdownOutput();
                  }
                });
  }

  /** UDP: a socket to the container per client address, its answers sent back from the port. */
  private final class UdpRelay extends ChannelInboundHandlerAdapter {
    /** A client quiet this long loses its socket to the container (the next datagram makes one). */
    private static final int IDLE_SECONDS = 120;

    private final InetSocketAddress target;
    private final Map<InetSocketAddress, io.netty.channel.ChannelFuture> sessions =
        new ConcurrentHashMap<>();

    UdpRelay(InetSocketAddress target) {
      this.target = target;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
      ctx.channel()
          .closeFuture()
          .addListener(f -> sessions.values().forEach(s -> s.channel().close()));
      ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      DatagramPacket p = (DatagramPacket) msg;
      InetSocketAddress client = p.sender();
      Channel listener = ctx.channel();
      io.netty.channel.ChannelFuture session = sessions.get(client);
      if (session == null) {
        session =
            new Bootstrap()
                .group(listener.eventLoop())
                .channel(EpollDatagramChannel.class)
                .handler(
                    new ChannelInitializer<Channel>() {
                      @Override
                      protected void initChannel(Channel c) {
                        c.pipeline()
                            .addLast(
                                new io.netty.handler.timeout.IdleStateHandler(0, 0, IDLE_SECONDS),
                                new ChannelInboundHandlerAdapter() {
                                  @Override
                                  public void channelRead(ChannelHandlerContext x, Object answer) {
                                    DatagramPacket a = (DatagramPacket) answer;
                                    listener.writeAndFlush(new DatagramPacket(a.content(), client));
                                  }

                                  @Override
                                  public void userEventTriggered(
                                      ChannelHandlerContext x, Object evt) {
                                    if (evt instanceof io.netty.handler.timeout.IdleStateEvent) {
                                      sessions.remove(client);
                                      x.close();
                                    }
                                  }
                                });
                      }
                    })
                .connect(target);
        sessions.put(client, session);
      }
      io.netty.buffer.ByteBuf content = p.content();
      session.addListener(
          (ChannelFutureListener)
              f -> {
                if (f.isSuccess()) {
                  f.channel().writeAndFlush(content);
                } else {
                  content.release();
                }
              });
    }
  }
}
