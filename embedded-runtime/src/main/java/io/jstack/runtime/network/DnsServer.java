package io.jstack.runtime.network;

import io.jstack.engine.EngineException;
import io.jstack.runtime.internal.Daemons;
import io.jstack.runtime.internal.NetNamespaces;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The engine's DNS server for bridge networks: on each network's gateway (UDP port 53), where the
 * asker is known by its address, and at 127.0.0.11 (UDP and TCP) inside the network namespace of
 * each container on a user-defined network, as Docker's DNS. Names of containers answer with their
 * addresses, all of them, rotated; other single-label names get NXDOMAIN here; everything else goes
 * to the upstream resolvers as it came, and their answer back.
 */
public final class DnsServer implements AutoCloseable {
  /** Looks names up for the containers that ask. */
  public interface Names {
    /**
     * The addresses {@code name} (lower case, no trailing dot) has for a client at {@code client}
     * that asked on {@code server}, in a stable order; empty when it names no container there.
     */
    List<Long> lookup(long client, long server, String name);
  }

  private static final int TTL = 600;

  private final Names names;
  private final List<InetSocketAddress> upstreams;
  private final EventLoopGroup group;
  private final ExecutorService forwarders =
      Executors.newCachedThreadPool(Daemons.named("jstack-dns-forward"));
  private final Map<Long, Channel> bound = new ConcurrentHashMap<>();
  private final AtomicInteger rotation = new AtomicInteger();

  private DnsServer(Names names, List<InetSocketAddress> upstreams) {
    this.names = names;
    this.upstreams = List.copyOf(upstreams);
    this.group =
        new MultiThreadIoEventLoopGroup(
            1, Daemons.named("jstack-dns"), EpollIoHandler.newFactory());
  }

  /** A server that answers from {@code names} and asks {@code upstreams} for the rest. */
  public static DnsServer start(Names names, List<InetSocketAddress> upstreams) {
    DnsServer s = new DnsServer(names, upstreams);
    // What the first container's DNS needs (libc through JNA, a thread entering a namespace, the
    // TCP channel) is loaded now, in the engine's own namespace, not while that container starts:
    // a third of a second on these machines. (The event loops loaded Netty's native code.)
    discard(
        NetNamespaces.inside(
            Path.of("/proc/self/ns/net"),
            () -> new EpollServerSocketChannel(SocketProtocolFamily.INET)));
    return s;
  }

  /**
   * The upstream resolvers: {@code JSTACK_DNS_UPSTREAM} ({@code host:port,...}) if set, else the
   * host's {@code /etc/resolv.conf}.
   */
  public static List<InetSocketAddress> upstreams(Map<String, String> env) {
    List<InetSocketAddress> out = new ArrayList<>();
    String configured = env.getOrDefault("JSTACK_DNS_UPSTREAM", "");
    try {
      if (!configured.isBlank()) {
        for (String s : configured.split(",")) {
          int colon = s.lastIndexOf(':');
          out.add(
              colon < 0
                  ? new InetSocketAddress(InetAddress.getByName(s.strip()), 53)
                  : new InetSocketAddress(
                      InetAddress.getByName(s.substring(0, colon).strip()),
                      Integer.parseInt(s.substring(colon + 1).strip())));
        }
        return out;
      }
      Path resolv = Path.of("/etc/resolv.conf");
      if (Files.isReadable(resolv)) {
        for (String l : Files.readAllLines(resolv)) {
          String[] f = l.strip().split("\\s+");
          if (f.length >= 2 && f[0].equals("nameserver") && !f[1].contains(":")) {
            out.add(new InetSocketAddress(InetAddress.getByName(f[1]), 53));
          }
        }
      }
    } catch (java.io.IOException | NumberFormatException e) {
      throw new EngineException(
          "cannot read the upstream DNS resolvers (JSTACK_DNS_UPSTREAM or /etc/resolv.conf): "
              + e.getMessage(),
          e);
    }
    return out;
  }

  /** Answers on {@code address}:{@code port} from now on (a network's gateway, port 53). */
  public void listen(long address, int port) {
    if (bound.containsKey(address)) {
      return;
    }
    try {
      Channel ch =
          new Bootstrap()
              .group(group)
              .channel(EpollDatagramChannel.class)
              .handler(new Datagrams(null))
              .bind(new InetSocketAddress(inet(address), port))
              .sync()
              .channel();
      bound.put(address, ch);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted starting the DNS server", e);
    } catch (Exception e) { // bind failures come as checked native errors
      throw new EngineException(
          "cannot serve DNS on " + Subnet.address(address) + ":" + port + ": " + e.getMessage(), e);
    }
  }

  /** Stops answering on {@code address}. */
  public void unlisten(long address) {
    Channel ch = bound.remove(address);
    if (ch != null) {
      ch.close().awaitUninterruptibly();
    }
  }

  /** How one container's questions are answered: it is known by where it asks. */
  public interface Asker {
    /** The addresses {@code name} (lower case, no trailing dot) has for it; empty for none. */
    List<Long> lookup(String name);

    /** Whom to ask for names it does not know; empty for the server's. */
    List<InetSocketAddress> upstreams();
  }

  /** Answers in a container's network namespace until closed. */
  public static final class Inside implements AutoCloseable {
    private final Channel udp;
    private final Channel tcp;

    /** The TCP connections it accepted and not yet closed. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private Inside(Channel udp, Channel tcp) {
      this.udp = udp;
      this.tcp = tcp;
    }

    /** Stops answering there; its sockets, and the connections it holds, are closed. */
    @Override
    public void close() {
      discard(udp);
      discard(tcp);
      connections.close().awaitUninterruptibly();
    }
  }

  /**
   * Answers {@code asker}, UDP and TCP, on {@code address}:53 inside the network namespace at
   * {@code namespace} ({@link ResolvConf#EMBEDDED}, as Docker's DNS); the sockets are made there on
   * a short-lived thread, and answer until {@link Inside#close}.
   *
   * @throws EngineException naming the namespace when it cannot
   */
  public Inside listenIn(Path namespace, String address, Asker asker) {
    Channel[] made;
    try {
      made =
          NetNamespaces.inside(
              namespace,
              () -> {
                Channel u = new EpollDatagramChannel(SocketProtocolFamily.INET);
                try {
                  return new Channel[] {u, new EpollServerSocketChannel(SocketProtocolFamily.INET)};
                } catch (RuntimeException e) {
                  discard(u);
                  throw e;
                }
              });
    } catch (NetNamespaces.Failed e) {
      throw new EngineException(
          "cannot serve DNS in " + namespace + ": " + e.getMessage() + " (is it gone?)", e);
    }
    Channel udp = made[0];
    Channel tcp = made[1];
    Inside inside = new Inside(udp, tcp);
    InetSocketAddress at = new InetSocketAddress(inetOf(address), 53);
    try {
      new Bootstrap()
          .group(group)
          .channelFactory(() -> udp)
          .handler(new Datagrams(asker))
          .bind(at)
          .sync();
      new ServerBootstrap()
          .group(group)
          .channelFactory(() -> (EpollServerSocketChannel) tcp)
          .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
          .childHandler(
              new ChannelInitializer<Channel>() {
                @Override
                protected void initChannel(Channel c) {
                  inside.connections.add(c);
                  c.pipeline()
                      .addLast(
                          new LengthFieldBasedFrameDecoder(65535, 0, 2, 0, 2), new Stream(asker));
                }
              })
          .bind(at)
          .sync();
      return inside;
    } catch (InterruptedException e) {
      inside.close();
      Thread.currentThread().interrupt();
      throw new EngineException("interrupted starting the DNS server in " + namespace, e);
    } catch (Exception e) { // bind failures come as checked native errors
      inside.close();
      throw new EngineException(
          "cannot serve DNS on " + address + ":53 in " + namespace + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    bound.values().forEach(c -> c.close().awaitUninterruptibly());
    bound.clear();
    forwarders.shutdownNow();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Closes a channel, also one never registered with an event loop (its socket only). */
  private static void discard(Channel c) {
    if (c.isRegistered()) {
      c.close().awaitUninterruptibly();
    } else {
      c.unsafe().closeForcibly();
    }
  }

  /** The {@link InetAddress} of an IPv4 address number. */
  static InetAddress inet(long address) {
    try {
      return InetAddress.getByAddress(
          new byte[] {
            (byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address
          });
    } catch (UnknownHostException e) {
      throw new IllegalStateException(e);
    }
  }

  private static InetAddress inetOf(String address) {
    return inet(Subnet.parseAddress(address));
  }

  private static long number(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length != 4
        ? -1
        : (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
  }

  /**
   * Questions over UDP: of the container {@code asker}, or on a gateway of whichever container the
   * sender's address is.
   */
  private final class Datagrams extends SimpleChannelInboundHandler<DatagramPacket> {
    private final @Nullable Asker asker;

    Datagrams(@Nullable Asker asker) {
      this.asker = asker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
      byte[] query = ByteBufUtil.getBytes(p.content());
      InetSocketAddress sender = p.sender();
      Asker who = asker;
      if (who == null) {
        long client = number(sender.getAddress());
        long server = number(p.recipient().getAddress());
        who =
            new Asker() {
              @Override
              public List<Long> lookup(String name) {
                return names.lookup(client, server, name);
              }

              @Override
              public List<InetSocketAddress> upstreams() {
                return List.of();
              }
            };
      }
      Channel ch = ctx.channel();
      respond(
          query,
          who,
          false,
          reply -> ch.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(reply), sender)));
    }
  }

  /** Questions over TCP, each after its two-byte length. */
  private final class Stream extends SimpleChannelInboundHandler<ByteBuf> {
    private final Asker asker;

    /**
     * Questions not answered yet, and whether the client has sent all it will (event loop only).
     */
    private int pending;

    private boolean inputDone;

    Stream(Asker asker) {
      this.asker = asker;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf frame) {
      Channel ch = ctx.channel();
      pending++;
      respond(
          ByteBufUtil.getBytes(frame),
          asker,
          true,
          reply ->
              ch.eventLoop()
                  .execute(
                      () -> {
                        pending--;
                        ch.writeAndFlush(
                                Unpooled.buffer(2 + reply.length)
                                    .writeShort(reply.length)
                                    .writeBytes(reply))
                            .addListener(
                                f -> {
                                  if (inputDone && pending == 0) {
                                    ch.close();
                                  }
                                });
                      }));
    }

    /**
     * A client that sends its questions and then shuts its side down (as {@code nc} does) still
     * gets its answers: the connection closes once they are written.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
      if (event instanceof ChannelInputShutdownEvent) {
        inputDone = true;
        if (pending == 0) {
          ctx.close();
        }
      }
      ctx.fireUserEventTriggered(event);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
      ctx.close();
    }
  }

  /**
   * Answers {@code query}: names of containers with their addresses, all of them, rotated; other
   * single-label names NXDOMAIN; the rest from the upstream resolvers, as they answer.
   */
  private void respond(byte[] query, Asker asker, boolean tcp, Consumer<byte[]> reply) {
    DnsMessages.Question q = DnsMessages.question(query);
    if (q == null) {
      return;
    }
    List<Long> found = asker.lookup(q.name());
    if (!found.isEmpty()) {
      List<Long> rotated = new ArrayList<>(found);
      java.util.Collections.rotate(
          rotated, -Math.floorMod(rotation.getAndIncrement(), found.size()));
      // Other types of a container's name: no data (NOERROR, no answer), as Docker's DNS.
      reply.accept(DnsMessages.answer(query, q, rotated, TTL, DnsMessages.NOERROR));
    } else if (!q.name().contains(".")) {
      reply.accept(DnsMessages.answer(query, q, List.of(), TTL, DnsMessages.NXDOMAIN));
    } else {
      List<InetSocketAddress> to = asker.upstreams().isEmpty() ? upstreams : asker.upstreams();
      forward(query, q, to, tcp, reply);
    }
  }

  /**
   * Asks the upstream resolvers, in turn (over TCP for a question that came over TCP), and passes
   * the first answer back; SERVFAIL when none answers.
   */
  private void forward(
      byte[] query,
      DnsMessages.Question q,
      List<InetSocketAddress> to,
      boolean tcp,
      Consumer<byte[]> reply) {
    forwarders.execute(
        () -> {
          for (InetSocketAddress upstream : to) {
            try {
              reply.accept(tcp ? overTcp(query, upstream) : overUdp(query, upstream));
              return;
            } catch (java.io.IOException tryNext) {
              // Silent or unreachable: the next one.
            }
          }
          reply.accept(DnsMessages.answer(query, q, List.of(), 0, DnsMessages.SERVFAIL));
        });
  }

  private static byte[] overUdp(byte[] query, InetSocketAddress upstream)
      throws java.io.IOException {
    try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
      s.setSoTimeout(2000);
      s.send(new java.net.DatagramPacket(query, query.length, upstream));
      byte[] buffer = new byte[65535];
      java.net.DatagramPacket answer = new java.net.DatagramPacket(buffer, buffer.length);
      s.receive(answer);
      return java.util.Arrays.copyOf(buffer, answer.getLength());
    }
  }

  private static byte[] overTcp(byte[] query, InetSocketAddress upstream)
      throws java.io.IOException {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(upstream, 2000);
      s.setSoTimeout(2000);
      java.io.DataOutputStream out = new java.io.DataOutputStream(s.getOutputStream());
      out.writeShort(query.length);
      out.write(query);
      out.flush();
      java.io.DataInputStream in = new java.io.DataInputStream(s.getInputStream());
      byte[] answer = new byte[in.readUnsignedShort()];
      in.readFully(answer);
      return answer;
    }
  }
}
