package io.jstack.runtime.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.jstack.engine.EngineException;
import io.jstack.runtime.container.ExecProcess;
import io.jstack.runtime.container.Usage;
import io.jstack.runtime.engine.internal.Hijacked;
import io.jstack.runtime.image.ImageArchives;
import io.jstack.runtime.image.ImageReference;
import io.jstack.runtime.image.ImageStore;
import io.jstack.runtime.image.RegistryClient;
import io.jstack.runtime.internal.Daemons;
import io.jstack.runtime.internal.SeqPacket;
import io.jstack.runtime.network.Network;
import io.jstack.runtime.network.NetworkRequest;
import io.jstack.runtime.network.Subnet;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded engine's Docker Engine API, served on a unix socket (mode 0660): the endpoints
 * jstack's own engine client uses for containers with {@code network_mode: host} or {@code none},
 * images and version negotiation. Every other endpoint answers 501 with a message naming it, never
 * a wrong success. Requests run on their own threads, so a {@code wait} or a followed log holds no
 * one else up.
 */
public final class EngineServer implements AutoCloseable {
  /** The Docker API version this server speaks. */
  public static final String API_VERSION = "1.41";

  private final EmbeddedEngine engine;
  private final Path socket;
  private final EventLoopGroup group;
  private final Channel channel;
  private final ExecutorService workers =
      Executors.newCachedThreadPool(Daemons.named("jstack-engine-request"));

  private EngineServer(EmbeddedEngine engine, Path socket, EventLoopGroup group, Channel channel) {
    this.engine = engine;
    this.socket = socket;
    this.group = group;
    this.channel = channel;
  }

  /**
   * Serves {@code engine} on {@code socket}. A socket file nobody answers on is replaced.
   *
   * @throws EngineException when another engine already answers there
   */
  public static EngineServer start(EmbeddedEngine engine, Path socket)
      throws IOException, InterruptedException {
    return start(engine, socket, null, line -> {});
  }

  /**
   * Serves {@code engine} on {@code socket}, which root and {@code socketGroup} (if not null) may
   * use; tells {@code log} which user each new client process is ({@code SO_PEERCRED}).
   *
   * @throws EngineException when another engine already answers there, or the group is unknown
   */
  public static EngineServer start(
      EmbeddedEngine engine,
      Path socket,
      String socketGroup,
      java.util.function.Consumer<String> log)
      throws IOException, InterruptedException {
    java.util.Set<Integer> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
    Files.createDirectories(socket.getParent());
    if (Files.exists(socket)) {
      if (answers(socket)) {
        throw new EngineException(
            "an engine already answers on " + socket + ": stop it first (jstack engine stop)");
      }
      Files.delete(socket);
    }
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, Daemons.named("jstack-engine-io"), EpollIoHandler.newFactory());
    EngineServer[] self = new EngineServer[1];
    Channel ch =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerDomainSocketChannel.class)
            // Attach and exec clients end their input with a half-close while output still comes:
            // allowed from the start, since the switch to raw bytes may come after it.
            .childOption(io.netty.channel.ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel c) {
                    if (c instanceof io.netty.channel.epoll.EpollDomainSocketChannel d) {
                      try {
                        io.netty.channel.unix.PeerCredentials who = d.peerCredentials();
                        if (seen.add(who.pid())) {
                          log.accept(
                              "client pid "
                                  + who.pid()
                                  + " uid "
                                  + who.uid()
                                  + " connected to "
                                  + socket);
                        }
                      } catch (IOException unknown) {
                        log.accept("a client whose credentials cannot be read connected");
                      }
                    }
                    c.pipeline()
                        .addLast("http", new HttpServerCodec())
                        .addLast("aggregate", new HttpObjectAggregator(256 << 20))
                        .addLast("api", new Handler(self));
                  }
                })
            .bind(new DomainSocketAddress(socket.toString()))
            .sync()
            .channel();
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    if (socketGroup != null) {
      try {
        Files.getFileAttributeView(socket, java.nio.file.attribute.PosixFileAttributeView.class)
            .setGroup(
                socket
                    .getFileSystem()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(socketGroup));
      } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
        ch.close().sync();
        group.shutdownGracefully();
        throw new EngineException(
            "group "
                + socketGroup
                + " does not exist: create it (groupadd "
                + socketGroup
                + ") or choose another with --group");
      }
    }
    self[0] = new EngineServer(engine, socket, group, ch);
    return self[0];
  }

  /** Whether an engine answers on {@code socket}. */
  public static boolean answers(Path socket) {
    try (java.nio.channels.SocketChannel c =
        java.nio.channels.SocketChannel.open(java.net.UnixDomainSocketAddress.of(socket))) {
      return c.isConnected();
    } catch (IOException refused) {
      return false;
    }
  }

  public Path socket() {
    return socket;
  }

  /** Stops serving (containers keep running) and removes the socket. */
  @Override
  public void close() {
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS);
    workers.shutdownNow();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // Nothing else to do.
    }
  }

  private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final EngineServer[] server;

    /** Requests being answered on this connection, and whether its client ended its side. */
    private final java.util.concurrent.atomic.AtomicInteger inFlight =
        new java.util.concurrent.atomic.AtomicInteger();

    private volatile boolean inputEnded;

    Handler(EngineServer[] server) {
      this.server = server;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
      if (evt instanceof io.netty.channel.socket.ChannelInputShutdownEvent) {
        // A plain HTTP client that ended its side gets its answers, then the connection ends.
        inputEnded = true;
        if (inFlight.get() == 0) {
          ctx.close();
        }
      }
      ctx.fireUserEventTriggered(evt);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
      req.retain();
      inFlight.incrementAndGet();
      // Attach and exec take the connection over: nothing the client sends next is HTTP.
      boolean mayHijack = req.headers().contains(HttpHeaderNames.UPGRADE);
      if (mayHijack) {
        Hijacked.detach(ctx.channel());
      }
      server[0].workers.submit(
          () -> {
            try {
              server[0].handle(ctx, req);
            } catch (UnsupportedOperationException e) {
              server[0].error(ctx, HttpResponseStatus.NOT_IMPLEMENTED, e.getMessage());
            } catch (EngineException.NotFound e) {
              server[0].error(ctx, HttpResponseStatus.NOT_FOUND, e.getMessage());
            } catch (EngineException.Conflict e) {
              server[0].error(ctx, HttpResponseStatus.CONFLICT, e.getMessage());
            } catch (IllegalArgumentException | EngineException.InvalidArgument e) {
              server[0].error(ctx, HttpResponseStatus.BAD_REQUEST, e.getMessage());
            } catch (RuntimeException | IOException e) {
              server[0].error(
                  ctx, HttpResponseStatus.INTERNAL_SERVER_ERROR, String.valueOf(e.getMessage()));
            } finally {
              req.release();
              if (inFlight.decrementAndGet() == 0 && inputEnded && !mayHijack) {
                ctx.close();
              }
            }
          });
    }
  }

  // ------------------------------------------------------------------ routing

  private void handle(ChannelHandlerContext ctx, FullHttpRequest req) throws IOException {
    QueryStringDecoder q = new QueryStringDecoder(req.uri());
    String raw = req.uri().split("\\?", 2)[0];
    List<String> parts = new ArrayList<>();
    for (String s : raw.split("/")) {
      if (!s.isEmpty()) {
        parts.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
      }
    }
    if (!parts.isEmpty() && parts.get(0).matches("v\\d+\\.\\d+")) {
      parts.remove(0);
    }
    HttpMethod m = req.method();
    String head = parts.isEmpty() ? "" : parts.get(0);
    int n = parts.size();
    if (head.equals("_ping")) {
      text(ctx, HttpResponseStatus.OK, "OK");
    } else if (head.equals("version") && n == 1) {
      json(ctx, HttpResponseStatus.OK, version());
    } else if (head.equals("info") && n == 1) {
      json(ctx, HttpResponseStatus.OK, info());
    } else if (head.equals("events") && n == 1 && m.equals(HttpMethod.GET)) {
      events(ctx, q);
    } else if (head.equals("containers")) {
      containers(ctx, req, q, m, parts);
    } else if (head.equals("images")) {
      images(ctx, req, q, m, parts);
    } else if (head.equals("networks")) {
      networks(ctx, req, q, m, parts);
    } else if (head.equals("volumes")) {
      volumes(ctx, req, q, m, parts);
    } else if (head.equals("plugins") && n == 3 && m.equals(HttpMethod.GET)) {
      // The jstack engine has no plugins; docker inspect asks here for names it found nowhere else.
      error(ctx, HttpResponseStatus.NOT_FOUND, "plugin " + parts.get(1) + " not found");
    } else if (head.equals("exec") && n == 3) {
      exec(ctx, req, q, m, parts.get(1), parts.get(2));
    } else {
      unsupported(ctx, m, raw);
    }
  }

  private void containers(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      QueryStringDecoder q,
      HttpMethod m,
      List<String> p)
      throws IOException {
    int n = p.size();
    if (n == 2 && p.get(1).equals("json") && m.equals(HttpMethod.GET)) {
      Map<String, List<String>> filters = filters(q);
      boolean all = "1".equals(param(q, "all")) || "true".equals(param(q, "all"));
      ArrayNode out = EmbeddedEngine.JSON.createArrayNode();
      for (EmbeddedEngine.Container c : engine.list()) {
        if ((all || c.alive()) && matches(c, filters)) {
          out.add(summary(c));
        }
      }
      json(ctx, HttpResponseStatus.OK, out);
      return;
    }
    if (n == 2 && p.get(1).equals("create") && m.equals(HttpMethod.POST)) {
      JsonNode body = body(req);
      String name = param(q, "name");
      String id = engine.create(name == null || name.isEmpty() ? null : name, body);
      ObjectNode r = EmbeddedEngine.JSON.createObjectNode();
      r.put("Id", id);
      r.putArray("Warnings");
      json(ctx, HttpResponseStatus.CREATED, r);
      return;
    }
    if (n == 3) {
      String id = p.get(1);
      String verb = p.get(2);
      if (m.equals(HttpMethod.GET) && verb.equals("json")) {
        json(ctx, HttpResponseStatus.OK, inspect(engine.require(id)));
      } else if (m.equals(HttpMethod.POST) && verb.equals("start")) {
        boolean was = engine.require(id).status() == EmbeddedEngine.Status.running;
        engine.start(id);
        empty(ctx, was ? HttpResponseStatus.NOT_MODIFIED : HttpResponseStatus.NO_CONTENT);
      } else if (m.equals(HttpMethod.POST) && verb.equals("stop")) {
        String t = param(q, "t");
        engine.stop(id, param(q, "signal"), Duration.ofSeconds(t == null ? 10 : Long.parseLong(t)));
        empty(ctx, HttpResponseStatus.NO_CONTENT);
      } else if (m.equals(HttpMethod.POST) && verb.equals("restart")) {
        String t = param(q, "t");
        engine.stop(id, null, Duration.ofSeconds(t == null ? 10 : Long.parseLong(t)));
        engine.start(id);
        empty(ctx, HttpResponseStatus.NO_CONTENT);
      } else if (m.equals(HttpMethod.GET) && verb.equals("top")) {
        EmbeddedEngine.Container c = engine.require(id);
        if (!c.alive()) {
          throw new EngineException.Conflict("container " + c.record().id() + " is not running");
        }
        json(ctx, HttpResponseStatus.OK, top(engine.runtime().pids(c.record().id())));
      } else if (m.equals(HttpMethod.POST) && (verb.equals("pause") || verb.equals("unpause"))) {
        engine.pause(id, verb.equals("pause"));
        empty(ctx, HttpResponseStatus.NO_CONTENT);
      } else if (m.equals(HttpMethod.POST) && verb.equals("kill")) {
        engine.kill(id, param(q, "signal"));
        empty(ctx, HttpResponseStatus.NO_CONTENT);
      } else if (m.equals(HttpMethod.POST) && verb.equals("wait")) {
        String condition = param(q, "condition");
        EmbeddedEngine.WaitFor until =
            condition == null || condition.isEmpty()
                ? EmbeddedEngine.WaitFor.NOT_RUNNING
                : EmbeddedEngine.WaitFor.of(condition);
        engine.require(id);
        // The head goes first, as Docker's does: clients start the container once they see it.
        startChunked(ctx, "application/json");
        ObjectNode r = EmbeddedEngine.JSON.createObjectNode();
        r.put("StatusCode", engine.await(id, until));
        r.putNull("Error");
        ctx.write(
            new DefaultHttpContent(
                Unpooled.wrappedBuffer(EmbeddedEngine.JSON.writeValueAsBytes(r))));
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      } else if (m.equals(HttpMethod.PUT) && verb.equals("archive")) {
        String path = param(q, "path");
        engine.copyTo(
            id, path == null ? "/" : path, new io.netty.buffer.ByteBufInputStream(req.content()));
        empty(ctx, HttpResponseStatus.OK);
      } else if (m.equals(HttpMethod.GET) && verb.equals("archive")) {
        String path = param(q, "path");
        Path source = engine.pathIn(id, path == null ? "/" : path);
        startChunked(ctx, "application/x-tar");
        try (java.io.OutputStream out = new ChunkedOutput(ctx)) {
          io.jstack.runtime.engine.internal.Archives.tar(source, out);
        } catch (IOException e) {
          // The client sees the stream end early.
        }
        ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
      } else if (m.equals(HttpMethod.GET) && verb.equals("logs")) {
        logs(ctx, engine.require(id), q);
      } else if (m.equals(HttpMethod.GET) && verb.equals("stats")) {
        stats(ctx, engine.require(id), q);
      } else if (m.equals(HttpMethod.POST) && verb.equals("exec")) {
        ObjectNode r = EmbeddedEngine.JSON.createObjectNode();
        r.put("Id", engine.createExec(id, body(req)));
        json(ctx, HttpResponseStatus.CREATED, r);
      } else if (m.equals(HttpMethod.POST) && verb.equals("resize")) {
        engine
            .runtime()
            .resize(engine.require(id).record().id(), intParam(q, "h"), intParam(q, "w"));
        empty(ctx, HttpResponseStatus.OK);
      } else if (m.equals(HttpMethod.POST) && verb.equals("attach")) {
        attach(ctx, req, engine.require(id), q);
      } else {
        unsupported(ctx, m, "/containers/{id}/" + verb);
      }
      return;
    }
    if (n == 2 && m.equals(HttpMethod.DELETE)) {
      engine.remove(p.get(1), truthy(param(q, "force")), truthy(param(q, "v")));
      empty(ctx, HttpResponseStatus.NO_CONTENT);
      return;
    }
    unsupported(ctx, m, "/" + String.join("/", p));
  }

  // ------------------------------------------------------------------ stats

  /**
   * Docker's stats of a running container from its cgroups: one object ({@code stream=false}, with
   * the CPU figures of half a second earlier for rates, none with {@code one-shot}), or one a
   * second until it stops.
   */
  private void stats(ChannelHandlerContext ctx, EmbeddedEngine.Container c, QueryStringDecoder q)
      throws IOException {
    String id = c.record().id();
    boolean stream = !"0".equals(param(q, "stream")) && !"false".equals(param(q, "stream"));
    if (!c.alive()) {
      throw new EngineException.Conflict("container " + id + " is not running");
    }
    try {
      Usage before = truthy(param(q, "one-shot")) ? null : engine.runtime().usage(id);
      if (!stream) {
        if (before != null) {
          Thread.sleep(500);
        }
        json(ctx, HttpResponseStatus.OK, stats(c, engine.runtime().usage(id), before));
        return;
      }
      startChunked(ctx, "application/json");
      while (ctx.channel().isActive() && engine.runtime().exitCode(id).isEmpty()) {
        Thread.sleep(1000);
        Usage now = engine.runtime().usage(id);
        byte[] line =
            (EmbeddedEngine.JSON.writeValueAsString(stats(c, now, before)) + "\n")
                .getBytes(StandardCharsets.UTF_8);
        ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)))
            .awaitUninterruptibly();
        before = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (EngineException e) {
      if (!stream) {
        throw e;
      }
      // It stopped while streaming: the stream ends.
    }
    if (stream) {
      ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    }
  }

  private static ObjectNode stats(EmbeddedEngine.Container c, Usage now, Usage before) {
    ObjectNode s = EmbeddedEngine.JSON.createObjectNode();
    s.put("name", "/" + c.record().name());
    s.put("id", c.record().id());
    s.put("read", now.read().toString());
    s.put("preread", before == null ? "0001-01-01T00:00:00Z" : before.read().toString());
    s.putObject("pids_stats").put("current", now.pids()).put("limit", now.pidsLimit());
    s.put("num_procs", 0);
    s.putObject("blkio_stats");
    s.putObject("storage_stats");
    s.set("cpu_stats", cpu(now));
    s.set(
        "precpu_stats",
        before == null
            ? EmbeddedEngine.JSON
                .createObjectNode()
                .set("cpu_usage", EmbeddedEngine.JSON.createObjectNode().put("total_usage", 0))
            : cpu(before));
    ObjectNode m = s.putObject("memory_stats");
    m.put("usage", now.memoryUsage());
    m.put("max_usage", now.memoryMaxUsage());
    m.put("limit", now.memoryLimit());
    ObjectNode ms = m.putObject("stats");
    now.memoryStat().forEach(ms::put);
    return s;
  }

  private static ObjectNode cpu(Usage u) {
    ObjectNode cpu = EmbeddedEngine.JSON.createObjectNode();
    ObjectNode usage = cpu.putObject("cpu_usage");
    usage.put("total_usage", u.cpuNanos());
    ArrayNode per = usage.putArray("percpu_usage");
    u.perCpuNanos().forEach(per::add);
    usage.put("usage_in_kernelmode", u.kernelNanos());
    usage.put("usage_in_usermode", u.userNanos());
    cpu.put("system_cpu_usage", u.systemNanos());
    cpu.put("online_cpus", u.onlineCpus());
    cpu.putObject("throttling_data")
        .put("periods", 0)
        .put("throttled_periods", 0)
        .put("throttled_time", 0);
    return cpu;
  }

  // ------------------------------------------------------------------ exec and attach

  private void exec(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      QueryStringDecoder q,
      HttpMethod m,
      String id,
      String verb) {
    EmbeddedEngine.Exec e = engine.exec(id);
    if (m.equals(HttpMethod.GET) && verb.equals("json")) {
      json(ctx, HttpResponseStatus.OK, execInspect(e));
    } else if (m.equals(HttpMethod.POST) && verb.equals("resize")) {
      ExecProcess p = e.process();
      if (p == null) {
        throw new EngineException.Conflict("exec instance " + id + " has not started");
      }
      try {
        p.resize(intParam(q, "h"), intParam(q, "w"));
      } catch (IOException ex) {
        throw new EngineException("cannot resize exec " + id + ": " + ex.getMessage(), ex);
      }
      empty(ctx, HttpResponseStatus.CREATED);
    } else if (m.equals(HttpMethod.POST) && verb.equals("start")) {
      JsonNode body =
          req.content().isReadable() ? body(req) : EmbeddedEngine.JSON.createObjectNode();
      JsonNode size = body.path("ConsoleSize");
      int rows = size.size() == 2 ? size.get(0).asInt() : 24;
      int columns = size.size() == 2 ? size.get(1).asInt() : 80;
      boolean detach = body.path("Detach").asBoolean();
      ExecProcess p = engine.startExec(id, detach, rows, columns);
      if (detach) {
        empty(ctx, HttpResponseStatus.OK);
        return;
      }
      boolean stdin = e.request().path("AttachStdin").asBoolean();
      if (!stdin && !p.tty()) {
        try {
          p.input().close();
        } catch (IOException ignored) {
          // It has no input either way.
        }
      }
      try (Hijacked out =
          Hijacked.take(
              ctx.channel(),
              req,
              p.tty() ? Hijacked.RAW : Hijacked.MULTIPLEXED,
              stdin ? p.input() : null)) {
        Thread errors = null;
        if (!p.tty()) {
          errors = Daemons.start("jstack-exec-stderr", () -> out.copy(p.errors(), Hijacked.STDERR));
        }
        out.copy(p.output(), p.tty() ? Hijacked.TERMINAL : Hijacked.STDOUT);
        if (errors != null) {
          errors.join();
        }
        // Recorded before the client sees the end, so its next inspect has the exit code.
        e.finish();
      } catch (InterruptedException ex) {
        Thread.currentThread().interrupt();
      } finally {
        p.release();
      }
    } else {
      unsupported(ctx, m, "/exec/{id}/" + verb);
    }
  }

  private static ObjectNode execInspect(EmbeddedEngine.Exec e) {
    ObjectNode i = EmbeddedEngine.JSON.createObjectNode();
    i.put("ID", e.id());
    i.put("Running", e.running());
    if (e.exitCode() == null) {
      i.putNull("ExitCode");
    } else {
      i.put("ExitCode", e.exitCode());
    }
    ObjectNode pc = i.putObject("ProcessConfig");
    pc.put("tty", e.config().tty());
    pc.put("entrypoint", e.config().command().get(0));
    ArrayNode args = pc.putArray("arguments");
    e.config().command().subList(1, e.config().command().size()).forEach(args::add);
    pc.put("privileged", false);
    pc.put("user", e.config().user() == null ? "" : e.config().user());
    i.put("OpenStdin", e.request().path("AttachStdin").asBoolean());
    i.put("OpenStdout", e.request().path("AttachStdout").asBoolean(true));
    i.put("OpenStderr", e.request().path("AttachStderr").asBoolean(true));
    i.put("CanRemove", false);
    i.put("ContainerID", e.containerId());
    i.put("DetachKeys", "");
    ExecProcess p = e.process();
    i.put("Pid", p == null ? 0 : p.pid());
    return i;
  }

  /**
   * Streams a container's output from now until it exits (its log, as conmon writes it): what
   * {@code docker run} and {@code docker start -a} attach to. Its input is not attached: the jstack
   * engine keeps no stdin open for a container.
   */
  private void attach(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      EmbeddedEngine.Container c,
      QueryStringDecoder q) {
    if (c.record().request().path("OpenStdin").asBoolean()
        || c.record().request().path("Tty").asBoolean()) {
      attachConsole(ctx, req, c, q);
      return;
    }
    boolean stdout = truthy(param(q, "stdout"));
    boolean stderr = truthy(param(q, "stderr"));
    boolean replay = truthy(param(q, "logs"));
    String id = c.record().id();
    Path file = engine.runtime().logFile(id);
    // The run to follow: the current one if it runs, else the next one to start.
    boolean running = c.alive();
    Instant startedAt = c.record().startedAt();
    Runnable done = engine.reading(id);
    try (Hijacked out = Hijacked.take(ctx.channel(), req, Hijacked.MULTIPLEXED, null)) {
      long offset = replay ? 0 : size(file);
      while (out.open()) {
        EmbeddedEngine.Container now = engine.find(id).orElse(null);
        boolean thisRun =
            now != null
                && now.record().startedAt() != null
                && (running || !java.util.Objects.equals(now.record().startedAt(), startedAt));
        boolean ended = now == null || thisRun && now.status() == EmbeddedEngine.Status.exited;
        long before = offset;
        offset = sendLog(file, offset, l -> send(out, l, stdout, stderr));
        if (offset == before) {
          if (ended) {
            break;
          }
          Thread.sleep(20);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      done.run();
    }
  }

  /**
   * Attaches to the console of a container with a terminal or an open input (conmon's attach
   * socket): its output as it comes, the client's bytes to its input, the client's half-close ends
   * its input.
   */
  private void attachConsole(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      EmbeddedEngine.Container c,
      QueryStringDecoder q) {
    boolean tty = c.record().request().path("Tty").asBoolean();
    boolean stdin = truthy(param(q, "stdin")) && c.record().request().path("OpenStdin").asBoolean();
    boolean stdout = truthy(param(q, "stdout"));
    boolean stderr = truthy(param(q, "stderr"));
    java.util.concurrent.CompletableFuture<SeqPacket> socket = engine.attach(c.record().id());
    java.io.OutputStream input =
        !stdin
            ? null
            : new java.io.OutputStream() {
              @Override
              public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
              }

              @Override
              public void write(byte[] b, int off, int len) throws IOException {
                SeqPacket s = connected(socket);
                for (int at = off; at < off + len; at += 8192) {
                  s.write(b, at, Math.min(8192, off + len - at));
                }
              }

              @Override
              public void close() throws IOException {
                connected(socket).shutdownOutput();
              }
            };
    try (Hijacked out =
        Hijacked.take(ctx.channel(), req, tty ? Hijacked.RAW : Hijacked.MULTIPLEXED, input)) {
      SeqPacket s = null;
      while (s == null && out.open()) {
        try {
          s = socket.get(200, java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException notYet) {
          // It has not started yet.
        } catch (java.util.concurrent.ExecutionException e) {
          return;
        }
      }
      if (s == null) {
        return;
      }
      try (SeqPacket attached = s) {
        byte[] packet = new byte[8193];
        for (int n = attached.read(packet); n > 0; n = attached.read(packet)) {
          boolean err = packet[0] == 3;
          if (err ? stderr : stdout) {
            out.send(
                tty ? Hijacked.TERMINAL : err ? Hijacked.STDERR : Hijacked.STDOUT,
                packet,
                1,
                n - 1);
          }
        }
      } catch (IOException ended) {
        // Its console closed.
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      socket.cancel(false);
    }
  }

  private static SeqPacket connected(java.util.concurrent.CompletableFuture<SeqPacket> socket)
      throws IOException {
    try {
      return socket.get();
    } catch (java.util.concurrent.ExecutionException
        | java.util.concurrent.CancellationException e) {
      throw new IOException("the container's console is gone", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }

  private static void send(Hijacked out, String line, boolean stdout, boolean stderr) {
    Frame f = Frame.of(line, stdout, stderr, false, null, null);
    if (f != null) {
      out.send(f.stream(), f.payload(), 0, f.payload().length);
    }
  }

  private static long size(Path file) {
    try {
      return Files.exists(file) ? Files.size(file) : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  /**
   * Passes each whole line of conmon's log from byte {@code offset} on to {@code line}; the offset
   * after the last whole line.
   */
  private static long sendLog(Path file, long offset, java.util.function.Consumer<String> line) {
    long size = size(file);
    if (size <= offset) {
      return offset;
    }
    try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "r")) {
      f.seek(offset);
      byte[] more = new byte[(int) Math.min(size - offset, 8 << 20)];
      f.readFully(more);
      int last = more.length - 1;
      while (last >= 0 && more[last] != '\n') {
        last--;
      }
      if (last < 0) {
        return offset;
      }
      int start = 0;
      for (int i = 0; i <= last; i++) {
        if (more[i] == '\n') {
          line.accept(new String(more, start, i - start, StandardCharsets.UTF_8));
          start = i + 1;
        }
      }
      return offset + last + 1;
    } catch (IOException e) {
      return offset;
    }
  }

  private static int intParam(QueryStringDecoder q, String name) {
    try {
      return Integer.parseInt(param(q, name));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a number, not " + param(q, name));
    }
  }

  // ------------------------------------------------------------------ networks

  private void networks(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      QueryStringDecoder q,
      HttpMethod m,
      List<String> p) {
    int n = p.size();
    if (m.equals(HttpMethod.GET) && n == 1) {
      Map<String, List<String>> filters = filters(q);
      ArrayNode out = EmbeddedEngine.JSON.createArrayNode();
      for (Network net : engine.networks().list()) {
        if (labelsMatch(net.labels(), filters.getOrDefault("label", List.of()))
            && filters.getOrDefault("name", List.of()).stream()
                .allMatch(x -> net.name().contains(x))) {
          out.add(network(net));
        }
      }
      json(ctx, HttpResponseStatus.OK, out);
    } else if (m.equals(HttpMethod.POST) && n == 2 && p.get(1).equals("create")) {
      JsonNode body = body(req);
      String driver = body.path("Driver").asText("bridge");
      if (!driver.isEmpty() && !driver.equals("bridge")) {
        throw new IllegalArgumentException(
            "network driver " + driver + " is not supported by the jstack engine (only bridge)");
      }
      JsonNode pool = body.path("IPAM").path("Config").path(0);
      Map<String, String> labels = new java.util.TreeMap<>();
      body.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      String mtu = body.path("Options").path("com.docker.network.driver.mtu").asText("1500");
      Network net =
          engine.createNetwork(
              new NetworkRequest(
                  body.path("Name").asText(),
                  optional(pool.path("Subnet")).map(Subnet::parse),
                  optional(pool.path("Gateway")).map(Subnet::parseAddress),
                  optional(pool.path("IPRange")).map(Subnet::parse),
                  body.path("Internal").asBoolean(),
                  Integer.parseInt(mtu),
                  labels));
      ObjectNode r = EmbeddedEngine.JSON.createObjectNode();
      r.put("Id", net.id());
      r.put("Warning", "");
      json(ctx, HttpResponseStatus.CREATED, r);
    } else if (m.equals(HttpMethod.GET) && n == 2) {
      json(ctx, HttpResponseStatus.OK, network(engine.networks().require(p.get(1))));
    } else if (m.equals(HttpMethod.DELETE) && n == 2) {
      engine.removeNetwork(p.get(1));
      empty(ctx, HttpResponseStatus.NO_CONTENT);
    } else if (m.equals(HttpMethod.POST) && n == 3 && p.get(2).equals("connect")) {
      JsonNode body = body(req);
      engine.connect(p.get(1), body.path("Container").asText(), body.path("EndpointConfig"));
      empty(ctx, HttpResponseStatus.OK);
    } else if (m.equals(HttpMethod.POST) && n == 3 && p.get(2).equals("disconnect")) {
      JsonNode body = body(req);
      engine.disconnect(p.get(1), body.path("Container").asText());
      empty(ctx, HttpResponseStatus.OK);
    } else {
      unsupported(ctx, m, "/" + String.join("/", p));
    }
  }

  private static java.util.Optional<String> optional(JsonNode text) {
    String s = text.asText("");
    return s.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(s);
  }

  /** Docker's inspect of a network. */
  private ObjectNode network(Network net) {
    ObjectNode o = EmbeddedEngine.JSON.createObjectNode();
    o.put("Name", net.name());
    o.put("Id", net.id());
    o.put("Created", net.created().toString());
    o.put("Scope", "local");
    o.put("Driver", "bridge");
    o.put("EnableIPv6", false);
    ObjectNode ipam = o.putObject("IPAM");
    ipam.put("Driver", "default");
    ipam.putNull("Options");
    ObjectNode pool = ipam.putArray("Config").addObject();
    pool.put("Subnet", net.subnet().toString());
    pool.put("Gateway", Subnet.address(net.gateway()));
    net.ipRange().ifPresent(r -> pool.put("IPRange", r.toString()));
    o.put("Internal", net.internal());
    o.put("Attachable", true);
    o.put("Ingress", false);
    o.putObject("ConfigFrom").put("Network", "");
    o.put("ConfigOnly", false);
    ObjectNode containers = o.putObject("Containers");
    for (ContainerRecord r : engine.attachedTo(net)) {
      JsonNode e = r.request().path(EmbeddedEngine.ENDPOINTS).path(net.id());
      ObjectNode c = containers.putObject(r.id());
      c.put("Name", r.name());
      c.put("EndpointID", e.path("EndpointID").asText());
      c.put("MacAddress", "");
      c.put("IPv4Address", e.path("IPAddress").asText() + "/" + net.subnet().prefix());
      c.put("IPv6Address", "");
    }
    ObjectNode options = o.putObject("Options");
    options.put("com.docker.network.bridge.name", net.bridge());
    options.put("com.docker.network.driver.mtu", String.valueOf(net.mtu()));
    ObjectNode labels = o.putObject("Labels");
    net.labels().forEach(labels::put);
    return o;
  }

  /** Docker's {@code NetworkSettings.Networks} of a container. */
  private ObjectNode endpoints(ContainerRecord r) {
    ObjectNode out = EmbeddedEngine.JSON.createObjectNode();
    String mode = r.request().path("HostConfig").path("NetworkMode").asText("none");
    if (r.request().path(EmbeddedEngine.ENDPOINTS).size() == 0) {
      out.putObject(mode.startsWith("container:") ? "none" : mode);
      return out;
    }
    r.request()
        .path(EmbeddedEngine.ENDPOINTS)
        .properties()
        .forEach(
            e -> {
              Network net = engine.networks().find(e.getKey()).orElse(null);
              JsonNode ep = e.getValue();
              ObjectNode o = out.putObject(ep.path("Name").asText());
              o.putNull("IPAMConfig");
              o.putNull("Links");
              o.set("Aliases", ep.path("Aliases"));
              o.put("NetworkID", e.getKey());
              o.put("EndpointID", ep.path("EndpointID").asText());
              o.put("Gateway", net == null ? "" : Subnet.address(net.gateway()));
              o.put("IPAddress", ep.path("IPAddress").asText());
              o.put("IPPrefixLen", net == null ? 0 : net.subnet().prefix());
              o.put("MacAddress", "");
            });
    return out;
  }

  private void volumes(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      QueryStringDecoder q,
      HttpMethod m,
      List<String> p) {
    int n = p.size();
    if (m.equals(HttpMethod.GET) && n == 1) {
      Map<String, List<String>> filters = filters(q);
      ObjectNode r = EmbeddedEngine.JSON.createObjectNode();
      ArrayNode list = r.putArray("Volumes");
      for (Volumes.Volume v : engine.volumes().list()) {
        if (labelsMatch(v.labels(), filters.getOrDefault("label", List.of()))) {
          list.add(volume(v));
        }
      }
      r.putArray("Warnings");
      json(ctx, HttpResponseStatus.OK, r);
    } else if (m.equals(HttpMethod.POST) && n == 2 && p.get(1).equals("create")) {
      JsonNode body = body(req);
      String driver = body.path("Driver").asText("local");
      if (!driver.isEmpty() && !driver.equals("local")) {
        throw new IllegalArgumentException(
            "volume driver " + driver + " is not supported by the jstack engine (only local)");
      }
      Map<String, String> labels = new java.util.TreeMap<>();
      body.path("Labels").properties().forEach(e -> labels.put(e.getKey(), e.getValue().asText()));
      String name = body.path("Name").asText("");
      if (name.isEmpty()) {
        name = java.util.UUID.randomUUID().toString().replace("-", "");
      }
      json(ctx, HttpResponseStatus.CREATED, volume(engine.volumes().create(name, labels)));
    } else if (m.equals(HttpMethod.GET) && n == 2) {
      json(
          ctx,
          HttpResponseStatus.OK,
          volume(
              engine
                  .volumes()
                  .find(p.get(1))
                  .orElseThrow(
                      () -> new EngineException.NotFound("get " + p.get(1) + ": no such volume"))));
    } else if (m.equals(HttpMethod.DELETE) && n == 2) {
      engine.removeVolume(p.get(1));
      empty(ctx, HttpResponseStatus.NO_CONTENT);
    } else {
      unsupported(ctx, m, "/" + String.join("/", p));
    }
  }

  private static ObjectNode volume(Volumes.Volume v) {
    ObjectNode o = EmbeddedEngine.JSON.createObjectNode();
    o.put("Name", v.name());
    o.put("Driver", "local");
    o.put("Mountpoint", v.data().toString());
    o.put("Scope", "local");
    o.put("CreatedAt", v.created().toString());
    ObjectNode l = o.putObject("Labels");
    v.labels().forEach(l::put);
    return o;
  }

  private static boolean labelsMatch(Map<String, String> labels, List<String> wanted) {
    for (String l : wanted) {
      int eq = l.indexOf('=');
      String k = eq < 0 ? l : l.substring(0, eq);
      if (!labels.containsKey(k) || eq >= 0 && !labels.get(k).equals(l.substring(eq + 1))) {
        return false;
      }
    }
    return true;
  }

  private void images(
      ChannelHandlerContext ctx,
      FullHttpRequest req,
      QueryStringDecoder q,
      HttpMethod m,
      List<String> p) {
    int n = p.size();
    if (m.equals(HttpMethod.GET) && n == 2 && p.get(1).equals("json")) {
      json(ctx, HttpResponseStatus.OK, imageList(filters(q).getOrDefault("reference", List.of())));
      return;
    }
    if (m.equals(HttpMethod.DELETE) && n >= 2) {
      json(
          ctx,
          HttpResponseStatus.OK,
          engine.removeImage(String.join("/", p.subList(1, n)), truthy(param(q, "force"))));
      return;
    }
    if (m.equals(HttpMethod.POST) && n == 2 && p.get(1).equals("load")) {
      ImageStore store = engine.images();
      streamJson(
          ctx,
          out -> {
            for (ImageArchives.Loaded l :
                ImageArchives.load(
                    store, new io.netty.buffer.ByteBufInputStream(req.content()), null)) {
              ObjectNode line = EmbeddedEngine.JSON.createObjectNode();
              line.put(
                  "stream",
                  (l.reference() != null
                          ? "Loaded image: " + l.reference().familiar()
                          : "Loaded image ID: " + store.image(l.manifestDigest()).configDigest())
                      + "\n");
              out.accept(line);
            }
          });
      return;
    }
    if (m.equals(HttpMethod.GET) && n >= 3 && p.get(n - 1).equals("json")) {
      String ref = String.join("/", p.subList(1, n - 1));
      json(ctx, HttpResponseStatus.OK, image(ref));
      return;
    }
    if (m.equals(HttpMethod.POST) && n == 2 && p.get(1).equals("create")) {
      String from = param(q, "fromImage");
      String tag = param(q, "tag");
      if (from == null) {
        throw new IllegalArgumentException(
            "importing images (fromSrc) is not supported by the jstack engine; pull with fromImage");
      }
      ImageReference ref =
          ImageReference.parse(
              from
                  + (tag != null && !tag.isEmpty() && !from.contains("@")
                      ? (tag.startsWith("sha256:") ? "@" + tag : ":" + tag)
                      : ""));
      streamJson(
          ctx,
          out -> {
            new RegistryClient(
                    engine.images(),
                    RegistryClient.Options.defaults(),
                    pr -> {
                      ObjectNode e = EmbeddedEngine.JSON.createObjectNode();
                      e.put("id", pr.id());
                      e.put("status", pr.status());
                      if (pr.total() > 0) {
                        e.putObject("progressDetail")
                            .put("current", pr.current())
                            .put("total", pr.total());
                      }
                      out.accept(e);
                    })
                .pull(ref);
            ObjectNode done = EmbeddedEngine.JSON.createObjectNode();
            done.put("status", "Status: Downloaded newer image for " + ref);
            out.accept(done);
          });
      return;
    }
    unsupported(ctx, m, "/" + String.join("/", p));
  }

  /** Streams events as they happen (no history), filtered by label, type and container. */
  private void events(ChannelHandlerContext ctx, QueryStringDecoder q) {
    Map<String, List<String>> filters = filters(q);
    Instant until = unixTime(param(q, "until"));
    startChunked(ctx, "application/json");
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    ctx.channel().closeFuture().addListener(f -> closed.countDown());
    Runnable unsubscribe =
        engine.subscribe(
            e -> {
              if (!labelsMatch(e.attributes(), filters.getOrDefault("label", List.of()))
                  || filters.containsKey("type") && !filters.get("type").contains("container")
                  || filters.containsKey("container")
                      && !filters.get("container").contains(e.id())
                      && !filters.get("container").contains(e.attributes().get("name"))) {
                return;
              }
              ObjectNode n = EmbeddedEngine.JSON.createObjectNode();
              n.put("Type", "container");
              n.put("Action", e.action());
              n.put("status", e.action());
              n.put("id", e.id());
              ObjectNode actor = n.putObject("Actor");
              actor.put("ID", e.id());
              ObjectNode attrs = actor.putObject("Attributes");
              e.attributes().forEach(attrs::put);
              n.put("scope", "local");
              n.put("time", e.time().getEpochSecond());
              n.put("timeNano", e.time().getEpochSecond() * 1_000_000_000L + e.time().getNano());
              try {
                byte[] line =
                    (EmbeddedEngine.JSON.writeValueAsString(n) + "\n")
                        .getBytes(StandardCharsets.UTF_8);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)));
              } catch (IOException ex) {
                throw new java.io.UncheckedIOException(ex);
              }
            });
    try {
      while (ctx.channel().isActive() && (until == null || Instant.now().isBefore(until))) {
        engine.announceExits();
        if (closed.await(100, java.util.concurrent.TimeUnit.MILLISECONDS)) {
          break;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      unsubscribe.run();
    }
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  // ------------------------------------------------------------------ representations

  /** The processes as {@code ps -ef} shows them: UID PID PPID C STIME TTY TIME CMD. */
  private static ObjectNode top(List<Long> pids) {
    ObjectNode t = EmbeddedEngine.JSON.createObjectNode();
    ArrayNode titles = t.putArray("Titles");
    for (String s : List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD")) {
      titles.add(s);
    }
    ArrayNode rows = t.putArray("Processes");
    java.time.format.DateTimeFormatter hm =
        java.time.format.DateTimeFormatter.ofPattern("HH:mm")
            .withZone(java.time.ZoneId.systemDefault());
    for (long pid : pids) {
      ProcessHandle.Info info = ProcessHandle.of(pid).map(ProcessHandle::info).orElse(null);
      if (info == null) {
        continue;
      }
      String ppid = "0";
      String cmd = info.commandLine().orElse(info.command().orElse("?"));
      try {
        for (String l : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
          if (l.startsWith("PPid:")) {
            ppid = l.substring(5).strip();
          }
        }
        byte[] raw = Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"));
        if (raw.length > 0) {
          cmd = new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip();
        }
      } catch (IOException gone) {
        continue;
      }
      long cpu = info.totalCpuDuration().map(Duration::getSeconds).orElse(0L);
      ArrayNode row = rows.addArray();
      row.add(info.user().orElse("?"));
      row.add(String.valueOf(pid));
      row.add(ppid);
      row.add("0");
      row.add(info.startInstant().map(hm::format).orElse("?"));
      row.add("?");
      row.add(String.format("%02d:%02d:%02d", cpu / 3600, cpu / 60 % 60, cpu % 60));
      row.add(cmd);
    }
    return t;
  }

  private ObjectNode version() {
    ObjectNode v = EmbeddedEngine.JSON.createObjectNode();
    v.put("Version", "jstack-0.1.0");
    v.put("ApiVersion", API_VERSION);
    v.put("MinAPIVersion", "1.24");
    v.put("Os", "linux");
    v.put("Arch", RegistryClient.hostPlatform().split("/")[1]);
    v.put("KernelVersion", System.getProperty("os.version"));
    v.putArray("Components").addObject().put("Name", "jstack engine").put("Version", "0.1.0");
    return v;
  }

  private ObjectNode info() {
    ObjectNode i = EmbeddedEngine.JSON.createObjectNode();
    List<EmbeddedEngine.Container> all = engine.list();
    i.put("ID", "jstack");
    i.put("Name", "jstack");
    i.put("ServerVersion", "jstack-0.1.0");
    i.put("OperatingSystem", "jstack embedded engine");
    i.put("OSType", "linux");
    i.put("Architecture", System.getProperty("os.arch"));
    i.put("NCPU", Runtime.getRuntime().availableProcessors());
    i.put("MemTotal", io.jstack.runtime.container.Usage.hostMemory());
    i.put("Containers", all.size());
    i.put(
        "ContainersRunning",
        all.stream().filter(c -> c.status() == EmbeddedEngine.Status.running).count());
    i.put("Images", engine.images().tags().size());
    i.put("DockerRootDir", engine.dataRoot().path().toString());
    i.put("CgroupDriver", "cgroupfs");
    return i;
  }

  private ObjectNode summary(EmbeddedEngine.Container c) {
    ContainerRecord r = c.record();
    ObjectNode s = EmbeddedEngine.JSON.createObjectNode();
    s.put("Id", r.id());
    s.putArray("Names").add("/" + r.name());
    s.put("Image", r.image());
    s.put("ImageID", r.imageId());
    s.put("Command", command(engine.command(r)));
    s.put("Created", r.created().getEpochSecond());
    s.put("State", c.status().name());
    s.put("Status", status(c));
    s.set(
        "Labels",
        r.request().path("Labels").isObject()
            ? r.request().path("Labels")
            : EmbeddedEngine.JSON.createObjectNode());
    ArrayNode ports = s.putArray("Ports");
    if (c.alive()) {
      for (JsonNode p : r.request().path(EmbeddedEngine.PORTS)) {
        ports
            .addObject()
            .put("IP", p.path("HostIp").asText())
            .put("PrivatePort", p.path("ContainerPort").asInt())
            .put("PublicPort", p.path("HostPort").asInt())
            .put("Type", p.path("Protocol").asText());
      }
    }
    s.putObject("NetworkSettings").set("Networks", endpoints(r));
    return s;
  }

  /** A container's command line as Docker lists it: arguments with spaces in single quotes. */
  private static String command(List<String> args) {
    List<String> shown = new ArrayList<>();
    for (String a : args) {
      shown.add(a.contains(" ") ? "'" + a + "'" : a);
    }
    return String.join(" ", shown);
  }

  private String status(EmbeddedEngine.Container c) {
    String id = c.record().id();
    if (c.status() == EmbeddedEngine.Status.exited && engine.restarting(id)) {
      return "Restarting (" + c.exitCode() + ") " + ago(c.finishedAt()) + " ago";
    }
    String health =
        engine
            .health(id)
            .map(h -> h.path("Status").asText())
            .map(h -> h.equals("starting") ? " (health: starting)" : " (" + h + ")")
            .orElse("");
    return switch (c.status()) {
      case running -> "Up " + ago(c.record().startedAt()) + health;
      case paused -> "Up " + ago(c.record().startedAt()) + " (Paused)";
      case exited -> "Exited (" + c.exitCode() + ") " + ago(c.finishedAt()) + " ago";
      case created -> "Created";
    };
  }

  private static String ago(Instant t) {
    if (t == null) {
      return "Less than a second";
    }
    long s = Duration.between(t, Instant.now()).getSeconds();
    return s < 1
        ? "Less than a second"
        : s < 60 ? s + " seconds" : s < 3600 ? (s / 60) + " minutes" : (s / 3600) + " hours";
  }

  private ObjectNode inspect(EmbeddedEngine.Container c) {
    ContainerRecord r = c.record();
    ObjectNode i = EmbeddedEngine.JSON.createObjectNode();
    i.put("Id", r.id());
    i.put("Name", "/" + r.name());
    i.put("Created", r.created().toString());
    i.put("Image", r.imageId());
    ObjectNode config = i.putObject("Config");
    for (String k :
        List.of(
            "Hostname",
            "User",
            "Env",
            "Cmd",
            "Entrypoint",
            "WorkingDir",
            "Labels",
            "StopSignal",
            "StopTimeout",
            "Healthcheck",
            "ExposedPorts")) {
      if (r.request().has(k)) {
        config.set(k, r.request().get(k));
      }
    }
    config.put("Image", r.image());
    config.put("Tty", r.request().path("Tty").asBoolean());
    config.put("OpenStdin", r.request().path("OpenStdin").asBoolean());
    config.put("StdinOnce", r.request().path("StdinOnce").asBoolean());
    ObjectNode state = i.putObject("State");
    state.put("Status", c.status().name());
    state.put("Running", c.alive());
    state.put("Paused", c.status() == EmbeddedEngine.Status.paused);
    state.put("Restarting", engine.restarting(r.id()));
    state.put("OOMKilled", false);
    state.put("Dead", false);
    state.put("ExitCode", c.exitCode());
    state.put(
        "StartedAt", r.startedAt() == null ? "0001-01-01T00:00:00Z" : r.startedAt().toString());
    state.put(
        "FinishedAt", c.finishedAt() == null ? "0001-01-01T00:00:00Z" : c.finishedAt().toString());
    engine.health(r.id()).ifPresent(h -> state.set("Health", h));
    i.put("RestartCount", r.restartCount());
    i.set("HostConfig", r.request().path("HostConfig"));
    ObjectNode settings = i.putObject("NetworkSettings");
    ObjectNode networks = endpoints(r);
    settings.set("Networks", networks);
    JsonNode first = networks.elements().hasNext() ? networks.elements().next() : null;
    settings.put("IPAddress", first == null ? "" : first.path("IPAddress").asText(""));
    settings.put("Gateway", first == null ? "" : first.path("Gateway").asText(""));
    ObjectNode ports = settings.putObject("Ports");
    if (c.alive()) {
      for (JsonNode p : r.request().path(EmbeddedEngine.PORTS)) {
        ports
            .withArray("/" + p.path("ContainerPort").asInt() + "~1" + p.path("Protocol").asText())
            .addObject()
            .put("HostIp", p.path("HostIp").asText())
            .put("HostPort", String.valueOf(p.path("HostPort").asInt()));
      }
    }
    i.putArray("Mounts");
    return i;
  }

  /**
   * Whether the {@code reference} filter (a name, with a tag or not) names the stored {@code tag}.
   */
  private static boolean sameImageName(String reference, String tag) {
    try {
      ImageReference want = ImageReference.parse(reference);
      ImageReference have = ImageReference.parse(tag);
      return want.registry().equals(have.registry())
          && want.repository().equals(have.repository())
          && (!reference.contains(":") || java.util.Objects.equals(want.tag(), have.tag()));
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Docker's image list: one entry per stored image, with its names. */
  private ArrayNode imageList(List<String> references) {
    ImageStore store = engine.images();
    Map<String, List<String>> names = new java.util.LinkedHashMap<>();
    store
        .tags()
        .forEach(
            (k, v) -> {
              List<String> tags = names.computeIfAbsent(v, x -> new ArrayList<>());
              if (!k.startsWith("@")) {
                tags.add(k);
              }
            });
    ArrayNode out = EmbeddedEngine.JSON.createArrayNode();
    names.forEach(
        (manifest, tags) -> {
          if (!references.isEmpty()
              && tags.stream()
                  .noneMatch(t -> references.stream().anyMatch(r -> sameImageName(r, t)))) {
            return;
          }
          ImageStore.Image img = store.image(manifest);
          ObjectNode i = out.addObject();
          i.put("Id", img.configDigest());
          i.put("ParentId", "");
          ArrayNode rt = i.putArray("RepoTags");
          tags.stream().filter(t -> !t.contains("@")).forEach(rt::add);
          ArrayNode rd = i.putArray("RepoDigests");
          tags.stream().filter(t -> t.contains("@")).forEach(rd::add);
          Instant created;
          try {
            created = Instant.parse(img.config().path("created").asText(Instant.EPOCH.toString()));
          } catch (java.time.format.DateTimeParseException e) {
            created = Instant.EPOCH;
          }
          i.put("Created", created.getEpochSecond());
          i.put("Size", img.layers().stream().mapToLong(ImageStore.Layer::size).sum());
          i.put("SharedSize", -1);
          i.put("Containers", -1);
          JsonNode labels = img.config().path("config").path("Labels");
          i.set("Labels", labels.isObject() ? labels : EmbeddedEngine.JSON.createObjectNode());
        });
    return out;
  }

  private ObjectNode image(String reference) {
    ImageStore store = engine.images();
    String manifest =
        store
            .find(reference)
            .orElseThrow(() -> new EngineException.NotFound("No such image: " + reference));
    ImageStore.Image img = store.image(manifest);
    ObjectNode i = EmbeddedEngine.JSON.createObjectNode();
    i.put("Id", img.configDigest());
    ArrayNode tags = i.putArray("RepoTags");
    String m = manifest;
    store
        .tags()
        .forEach(
            (k, v) -> {
              if (v.equals(m) && !k.startsWith("@")) {
                tags.add(k);
              }
            });
    i.put("Created", img.config().path("created").asText(Instant.EPOCH.toString()));
    i.put("Architecture", img.config().path("architecture").asText());
    i.put("Os", img.config().path("os").asText());
    i.put("Size", img.layers().stream().mapToLong(ImageStore.Layer::size).sum());
    i.set("Config", img.config().path("config"));
    return i;
  }

  // ------------------------------------------------------------------ logs

  private void logs(ChannelHandlerContext ctx, EmbeddedEngine.Container c, QueryStringDecoder q) {
    boolean follow = truthy(param(q, "follow"));
    boolean timestamps = truthy(param(q, "timestamps"));
    boolean stdout = !"0".equals(param(q, "stdout"));
    boolean stderr = !"0".equals(param(q, "stderr"));
    Instant since = unixTime(param(q, "since"));
    Instant until = unixTime(param(q, "until"));
    String tailParam = param(q, "tail");
    int tail = tailParam == null || tailParam.equals("all") ? -1 : Integer.parseInt(tailParam);
    startChunked(ctx, Hijacked.MULTIPLEXED);
    String id = c.record().id();
    Path file = engine.runtime().logFile(id);
    java.util.function.Consumer<String> send =
        l -> {
          Frame f = Frame.of(l, stdout, stderr, timestamps, since, until);
          if (f != null) {
            ByteBuf b = Unpooled.buffer(8 + f.payload().length);
            b.writeByte(f.stream()).writeByte(0).writeByte(0).writeByte(0);
            b.writeInt(f.payload().length).writeBytes(f.payload());
            ctx.writeAndFlush(new DefaultHttpContent(b)).awaitUninterruptibly();
          }
        };
    try {
      long offset = 0;
      if (tail >= 0) {
        List<String> lines = new ArrayList<>();
        offset = sendLog(file, 0, lines::add);
        lines.subList(Math.max(0, lines.size() - tail), lines.size()).forEach(send);
      }
      while (ctx.channel().isActive()) {
        boolean exited = engine.runtime().exitCode(id).isPresent();
        long before = offset;
        offset = sendLog(file, offset, send);
        if (offset == before) {
          if (!follow || exited) {
            break;
          }
          Thread.sleep(50);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  /** One conmon log line as Docker frames it: its stream (1 or 2) and its bytes. */
  private record Frame(int stream, byte[] payload) {
    /**
     * The frame of one conmon log line ({@code <time> <stream> <F|P> <text>}); null when the line
     * is filtered out or malformed.
     */
    static Frame of(
        String line,
        boolean stdout,
        boolean stderr,
        boolean timestamps,
        Instant since,
        Instant until) {
      String[] f = line.split(" ", 4);
      if (f.length < 3) {
        return null;
      }
      if (since != null || until != null) {
        Instant at;
        try {
          at = java.time.OffsetDateTime.parse(f[0]).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
          return null;
        }
        if (since != null && at.isBefore(since) || until != null && at.isAfter(until)) {
          return null;
        }
      }
      boolean err = f[1].equals("stderr");
      if (err ? !stderr : !stdout) {
        return null;
      }
      String text = (f.length == 4 ? f[3] : "") + (f[2].equals("P") ? "" : "\n");
      if (timestamps) {
        text = f[0] + " " + text;
      }
      return new Frame(
          err ? Hijacked.STDERR : Hijacked.STDOUT, text.getBytes(StandardCharsets.UTF_8));
    }
  }

  // ------------------------------------------------------------------ plumbing

  /** Sends the head of a 200 answer whose body follows in chunks (a stream). */
  private static void startChunked(ChannelHandlerContext ctx, String contentType) {
    DefaultHttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
    head.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
    head.headers().set("Api-Version", API_VERSION);
    ctx.writeAndFlush(head);
  }

  /** An output stream that sends what is written as HTTP chunks of up to 64 KiB. */
  private static final class ChunkedOutput extends java.io.OutputStream {
    private final ChannelHandlerContext ctx;
    private final ByteBuf buffer = Unpooled.buffer(1 << 16);

    ChunkedOutput(ChannelHandlerContext ctx) {
      this.ctx = ctx;
    }

    @Override
    public void write(int b) {
      buffer.writeByte(b);
      if (buffer.readableBytes() >= 1 << 16) {
        flush();
      }
    }

    @Override
    public void write(byte[] b, int off, int len) {
      buffer.writeBytes(b, off, len);
      if (buffer.readableBytes() >= 1 << 16) {
        flush();
      }
    }

    @Override
    public void flush() {
      if (buffer.readableBytes() > 0) {
        ctx.writeAndFlush(new DefaultHttpContent(buffer.copy())).awaitUninterruptibly();
        buffer.clear();
      }
    }

    @Override
    public void close() {
      flush();
      buffer.release();
    }
  }

  private interface Emitter {
    void run(java.util.function.Consumer<JsonNode> out);
  }

  /** A streamed JSON answer (one object per line), ending with an error object on failure. */
  private void streamJson(ChannelHandlerContext ctx, Emitter body) {
    startChunked(ctx, "application/json");
    java.util.function.Consumer<JsonNode> out =
        n -> {
          try {
            byte[] line =
                (EmbeddedEngine.JSON.writeValueAsString(n) + "\r\n")
                    .getBytes(StandardCharsets.UTF_8);
            ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(line)));
          } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        };
    try {
      body.run(out);
    } catch (RuntimeException e) {
      ObjectNode err = EmbeddedEngine.JSON.createObjectNode();
      err.put("error", String.valueOf(e.getMessage()));
      err.putObject("errorDetail").put("message", String.valueOf(e.getMessage()));
      out.accept(err);
    }
    ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
  }

  private static Map<String, List<String>> filters(QueryStringDecoder q) {
    String f = param(q, "filters");
    Map<String, List<String>> out = new java.util.HashMap<>();
    if (f == null || f.isEmpty()) {
      return out;
    }
    try {
      EmbeddedEngine.JSON
          .readTree(f)
          .properties()
          .forEach(
              e -> {
                List<String> values = new ArrayList<>();
                if (e.getValue().isArray()) {
                  e.getValue().forEach(v -> values.add(v.asText()));
                } else {
                  e.getValue().fieldNames().forEachRemaining(values::add);
                }
                out.put(e.getKey(), values);
              });
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed filters: " + f);
    }
    return out;
  }

  private static boolean matches(EmbeddedEngine.Container c, Map<String, List<String>> filters) {
    JsonNode labels = c.record().request().path("Labels");
    for (String l : filters.getOrDefault("label", List.of())) {
      int eq = l.indexOf('=');
      String k = eq < 0 ? l : l.substring(0, eq);
      if (!labels.has(k) || eq >= 0 && !labels.get(k).asText().equals(l.substring(eq + 1))) {
        return false;
      }
    }
    for (String name : filters.getOrDefault("name", List.of())) {
      // A regular expression over the name with its leading slash, as Docker matches it.
      boolean found;
      try {
        found = java.util.regex.Pattern.compile(name).matcher("/" + c.record().name()).find();
      } catch (java.util.regex.PatternSyntaxException e) {
        throw new IllegalArgumentException("the name filter is not a regular expression: " + name);
      }
      if (!found) {
        return false;
      }
    }
    for (String status : filters.getOrDefault("status", List.of())) {
      if (!c.status().name().equals(status)) {
        return false;
      }
    }
    return true;
  }

  /** A Docker API time ({@code seconds[.nanos]} since the epoch), or null. */
  private static Instant unixTime(String v) {
    if (v == null || v.isEmpty() || v.equals("0")) {
      return null;
    }
    try {
      java.math.BigDecimal d = new java.math.BigDecimal(v);
      long seconds = d.longValue();
      long nanos = d.subtract(java.math.BigDecimal.valueOf(seconds)).movePointRight(9).longValue();
      return Instant.ofEpochSecond(seconds, nanos);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("since and until take seconds since the epoch, not " + v);
    }
  }

  private static boolean truthy(String v) {
    return "1".equals(v) || "true".equals(v);
  }

  private static String param(QueryStringDecoder q, String name) {
    List<String> v = q.parameters().get(name);
    return v == null || v.isEmpty() ? null : v.get(0);
  }

  private static JsonNode body(FullHttpRequest req) {
    try {
      return EmbeddedEngine.JSON.readTree(req.content().toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IllegalArgumentException("the request body is not JSON: " + e.getMessage());
    }
  }

  private void unsupported(ChannelHandlerContext ctx, HttpMethod m, String path) {
    error(
        ctx,
        HttpResponseStatus.NOT_IMPLEMENTED,
        "the jstack engine does not support "
            + m
            + " "
            + path
            + " yet; use --engine docker for this");
  }

  void error(ChannelHandlerContext ctx, HttpResponseStatus status, String message) {
    ObjectNode e = EmbeddedEngine.JSON.createObjectNode();
    e.put("message", message);
    json(ctx, status, e);
  }

  private static void json(ChannelHandlerContext ctx, HttpResponseStatus status, JsonNode body) {
    try {
      send(ctx, status, "application/json", EmbeddedEngine.JSON.writeValueAsBytes(body));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void text(ChannelHandlerContext ctx, HttpResponseStatus status, String body) {
    send(ctx, status, "text/plain; charset=utf-8", body.getBytes(StandardCharsets.UTF_8));
  }

  private static void empty(ChannelHandlerContext ctx, HttpResponseStatus status) {
    send(ctx, status, null, new byte[0]);
  }

  private static void send(
      ChannelHandlerContext ctx, HttpResponseStatus status, String type, byte[] body) {
    if (ctx.pipeline().get("http") == null) {
      // A request that could have taken the connection over, answered plainly.
      Hijacked.answer(ctx.channel(), status, type, body);
      return;
    }
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(body));
    if (type != null) {
      r.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
    }
    r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
    r.headers().set("Api-Version", API_VERSION);
    ctx.writeAndFlush(r);
  }
}
