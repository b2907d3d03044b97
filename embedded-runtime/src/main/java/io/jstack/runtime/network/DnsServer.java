package io.jstack.runtime.network;

import io.jstack.engine.EngineException;
import io.jstack.runtime.internal.Daemons;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The engine's DNS server for bridge networks, on each network's gateway (UDP port 53), with
 * Netty's DNS codec. Names of containers answer with their addresses, all of them, rotated, as
 * {@link Names} finds them for the asking address; other single-label names get NXDOMAIN here;
 * everything else goes to the upstream resolvers as it came, and their answer back.
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
    return new DnsServer(names, upstreams);
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
    Raw raw = new Raw();
    try {
      Channel ch =
          new Bootstrap()
              .group(group)
              .channel(EpollDatagramChannel.class)
              .handler(
                  new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel c) {
                      c.pipeline()
                          .addLast(
                              raw,
                              new DatagramDnsQueryDecoder(),
                              new DatagramDnsResponseEncoder(),
                              new Answer(raw));
                    }
                  })
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

  @Override
  public void close() {
    bound.values().forEach(c -> c.close().awaitUninterruptibly());
    bound.clear();
    forwarders.shutdownNow();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
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

  private static long number(InetAddress a) {
    byte[] b = a.getAddress();
    return b.length != 4
        ? -1
        : (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
  }

  /** Keeps the bytes of the packet being decoded: a question for upstream goes out as it came. */
  private static final class Raw extends ChannelInboundHandlerAdapter {
    byte @Nullable [] last;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof DatagramPacket p) {
        last = ByteBufUtil.getBytes(p.content());
      }
      ctx.fireChannelRead(msg);
    }
  }

  private final class Answer extends SimpleChannelInboundHandler<DatagramDnsQuery> {
    private final Raw raw;

    Answer(Raw raw) {
      this.raw = raw;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery query) {
      // Raw, ahead in the pipeline, kept the bytes of the packet this query was decoded from.
      byte[] asked = Objects.requireNonNull(raw.last);
      DnsQuestion q =
          query.count(DnsSection.QUESTION) > 0 ? query.recordAt(DnsSection.QUESTION) : null;
      if (q == null) {
        return;
      }
      String name = q.name().toLowerCase(java.util.Locale.ROOT);
      if (name.endsWith(".")) {
        name = name.substring(0, name.length() - 1);
      }
      long client = number(query.sender().getAddress());
      long server = number(query.recipient().getAddress());
      List<Long> found = names.lookup(client, server, name);
      DatagramDnsResponse r =
          new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
      r.setRecursionDesired(query.isRecursionDesired());
      r.setRecursionAvailable(true);
      r.setAuthoritativeAnswer(!found.isEmpty());
      r.addRecord(DnsSection.QUESTION, q);
      if (!found.isEmpty()) {
        if (q.type() == DnsRecordType.A) {
          int start = Math.floorMod(rotation.getAndIncrement(), found.size());
          for (int i = 0; i < found.size(); i++) {
            long a = found.get((start + i) % found.size());
            ByteBuf content = Unpooled.buffer(4).writeInt((int) a);
            r.addRecord(
                DnsSection.ANSWER,
                new DefaultDnsRawRecord(q.name(), DnsRecordType.A, TTL, content));
          }
        }
        // Other types of a container's name: no data (NOERROR, no answer), as Docker's DNS.
        ctx.writeAndFlush(r);
      } else if (!name.contains(".")) {
        r.setCode(DnsResponseCode.NXDOMAIN);
        ctx.writeAndFlush(r);
      } else {
        r.release();
        forward(ctx.channel(), asked, query.sender());
      }
    }
  }

  /** Asks the upstream resolvers, in turn, and passes the first answer back to the client. */
  private void forward(Channel ch, byte[] question, InetSocketAddress client) {
    if (question == null || upstreams.isEmpty()) {
      return;
    }
    forwarders.execute(
        () -> {
          for (InetSocketAddress upstream : upstreams) {
            try (java.net.DatagramSocket s = new java.net.DatagramSocket()) {
              s.setSoTimeout(2000);
              s.send(new java.net.DatagramPacket(question, question.length, upstream));
              byte[] buffer = new byte[4096];
              java.net.DatagramPacket reply = new java.net.DatagramPacket(buffer, buffer.length);
              s.receive(reply);
              // Past the response encoder (it takes DNS messages only): the answer as it came.
              ch.pipeline()
                  .firstContext()
                  .writeAndFlush(
                      new DatagramPacket(
                          Unpooled.copiedBuffer(buffer, 0, reply.getLength()), client));
              return;
            } catch (java.io.IOException tryNext) {
              // Silent or unreachable: the next one.
            }
          }
        });
  }
}
