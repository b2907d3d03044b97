package io.jstack.runtime.api;

import io.jstack.engine.EngineException;
import io.jstack.runtime.ResidentCommands;
import io.jstack.runtime.engine.EmbeddedEngine;
import io.jstack.runtime.internal.Daemons;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * The embedded engine's Docker Engine API, served on a unix socket (mode 0660) and, when asked, on
 * TCP with mutual TLS ({@link #listen}): the listeners and their lifecycle. What each path does is
 * in the route classes of this package ({@code *Routes}), over the engine's own types; an endpoint
 * the engine lacks answers 501 naming itself, never a wrong success.
 */
public final class EngineServer implements AutoCloseable {
  /** The Docker API version this server speaks. */
  public static final String API_VERSION = "1.41";

  private final Path socket;
  private final Router router;
  private final EventLoopGroup group;
  private final Channel channel;
  private final ExecutorService workers;

  /** The resident commands' warm-up while it runs: it writes in the run directory. */
  private volatile @Nullable Thread warmUp;

  /** The TCP listeners ({@link #listen}), closed with the server. */
  private final List<Channel> tcp = new CopyOnWriteArrayList<>();

  private final Connections connections;

  private EngineServer(
      Path socket,
      Router router,
      EventLoopGroup group,
      Channel channel,
      ExecutorService workers,
      Connections connections) {
    this.socket = socket;
    this.router = router;
    this.group = group;
    this.channel = channel;
    this.workers = workers;
    this.connections = connections;
  }

  /**
   * The services the routes work over, one narrow interface per resource (so that routes are tested
   * against fakes of them, without an engine).
   */
  record Services(
      ContainerService containers,
      LogService logs,
      StatsService stats,
      ExecService execs,
      ImageService images,
      NetworkService networks,
      VolumeService volumes,
      SystemService system,
      BuildService builds) {

    /** The services without builds (route tests of other resources). */
    Services(
        ContainerService containers,
        LogService logs,
        StatsService stats,
        ExecService execs,
        ImageService images,
        NetworkService networks,
        VolumeService volumes,
        SystemService system) {
      this(
          containers,
          logs,
          stats,
          execs,
          images,
          networks,
          volumes,
          system,
          new BuildService() {
            @Override
            public String build(
                java.io.InputStream context,
                java.util.function.Function<
                        java.nio.file.Path, io.jstack.runtime.build.BuildRequest>
                    request,
                java.util.function.Consumer<String> progress) {
              throw new UnsupportedOperationException("this server builds no images");
            }

            @Override
            public String buildInPlace(
                java.nio.file.Path dir,
                java.util.function.Function<
                        java.nio.file.Path, io.jstack.runtime.build.BuildRequest>
                    request,
                java.util.function.Consumer<String> progress) {
              throw new UnsupportedOperationException("this server builds no images");
            }
          });
    }

    /** The routes of every resource the API serves, over these services. */
    Router routes() {
      Router r = new Router();
      new SystemRoutes(system, images).register(r);
      new ContainerRoutes(containers).register(r);
      new LogRoutes(logs).register(r);
      new StatsRoutes(stats).register(r);
      new ExecRoutes(execs).register(r);
      new ImageRoutes(images).register(r);
      new NetworkRoutes(networks).register(r);
      new VolumeRoutes(volumes).register(r);
      new BuildRoutes(builds).register(r);
      return r;
    }
  }

  /** The routes of every resource the API serves, over {@code engine}. */
  static Router routes(EmbeddedEngine engine) {
    return EngineBackend.services(engine).routes();
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
   * use; tells {@code log} which user each new client process is ({@code SO_PEERCRED}) and what
   * sessions of gone clients left and was removed. Once it answers, what is left of sessions whose
   * owner died while no engine ran is removed (see {@link SessionRoutes}).
   *
   * @throws EngineException when another engine already answers there, or the group is unknown
   */
  public static EngineServer start(
      EmbeddedEngine engine, Path socket, @Nullable String socketGroup, Consumer<String> log)
      throws IOException, InterruptedException {
    Router router = routes(engine);
    SessionRoutes sessions = new SessionRoutes(engine.dataRoot().path(), socket, log);
    sessions.register(router);
    // Command lines run here for thin clients when the CLI is on the class path (see
    // ResidentRoutes).
    java.util.Optional<ResidentCommands> resident =
        java.util.ServiceLoader.load(ResidentCommands.class, EngineServer.class.getClassLoader())
            .findFirst();
    resident.ifPresent(
        c ->
            new ResidentRoutes(c, System.getProperty(ResidentCommands.BUILD_PROPERTY), log)
                .register(router));
    EngineServer server = start(router, socket, socketGroup, log);
    sessions.sweep();
    resident.ifPresent(
        c ->
            server.warmUp =
                Daemons.start(
                    "jstack-resident-warm-up",
                    () -> warmUp(c, engine.dataRoot().run().resolve("warm-up"))));
    return server;
  }

  /** Runs {@code commands}' warm-up in {@code scratch}, made empty first and removed after. */
  private static void warmUp(ResidentCommands commands, Path scratch) {
    try {
      removeFlat(scratch);
      Files.createDirectories(scratch);
      commands.warmUp(scratch);
      removeFlat(scratch);
    } catch (IOException | RuntimeException e) {
      // Only the first client command's speed depends on it.
    }
  }

  /** Removes {@code dir} and the files in it (a warm-up writes no directories). */
  private static void removeFlat(Path dir) throws IOException {
    if (!Files.isDirectory(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      Files.deleteIfExists(dir);
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.list(dir)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** Serves {@code router}'s routes on {@code socket}: see {@link #start(EmbeddedEngine, Path)}. */
  static EngineServer start(
      Router router, Path socket, @Nullable String socketGroup, Consumer<String> log)
      throws IOException, InterruptedException {
    return start(router, socket, socketGroup, log, ServerLimits.defaults());
  }

  /** Serves {@code router}'s routes on {@code socket} within {@code limits}. */
  static EngineServer start(
      Router router,
      Path socket,
      @Nullable String socketGroup,
      Consumer<String> log,
      ServerLimits limits)
      throws IOException, InterruptedException {
    Files.createDirectories(socket.getParent());
    if (Files.exists(socket)) {
      if (answers(socket)) {
        throw new EngineException(
            "an engine already answers on " + socket + ": stop it first (jstack engine stop)");
      }
      Files.delete(socket);
    }
    ExecutorService workers = Executors.newCachedThreadPool(Daemons.named("jstack-engine-request"));
    Set<Integer> seen = ConcurrentHashMap.newKeySet();
    Connections connections = new Connections(limits);
    EventLoopGroup group =
        new MultiThreadIoEventLoopGroup(
            1, Daemons.named("jstack-engine-io"), EpollIoHandler.newFactory());
    Channel ch =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerDomainSocketChannel.class)
            // Attach and exec clients end their input with a half-close while output still comes:
            // allowed from the start, since the switch to raw bytes may come after it.
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel c) {
                    if (c instanceof EpollDomainSocketChannel d) {
                      try {
                        PeerCredentials who = d.peerCredentials();
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
                    connections.open(c, router, workers);
                  }
                })
            .bind(new DomainSocketAddress(socket.toString()))
            .sync()
            .channel();
    Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw----"));
    if (socketGroup != null) {
      try {
        Files.getFileAttributeView(socket, PosixFileAttributeView.class)
            .setGroup(
                socket
                    .getFileSystem()
                    .getUserPrincipalLookupService()
                    .lookupPrincipalByGroupName(socketGroup));
      } catch (UserPrincipalNotFoundException e) {
        ch.close().sync();
        group.shutdownGracefully();
        workers.shutdownNow();
        throw new EngineException(
            "group "
                + socketGroup
                + " does not exist: create it (groupadd "
                + socketGroup
                + ") or choose another with --group");
      }
    }
    return new EngineServer(socket, router, group, ch, workers, connections);
  }

  /**
   * Serves the same API on {@code listen}'s TCP address too: over mutual TLS, or plain HTTP on
   * loopback. {@code log} gets who connected with which certificate, and who was refused and why.
   *
   * @throws EngineException when the address cannot be bound (in use, not this host's)
   * @throws io.jstack.engine.tls.TlsException when the TLS files cannot be used
   */
  public void listen(TcpListen listen, Consumer<String> log) throws InterruptedException {
    TlsGate gate = listen.tls() == null ? null : TlsGate.of(listen.serverContext(), log);
    ChannelFuture bound =
        new ServerBootstrap()
            .group(group)
            .channel(EpollServerSocketChannel.class)
            .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childHandler(
                new ChannelInitializer<Channel>() {
                  @Override
                  protected void initChannel(Channel c) {
                    if (gate != null) {
                      c.pipeline().addLast("tls-gate", gate.next());
                    }
                    connections.open(c, router, workers);
                  }
                })
            .bind(listen.address())
            .await();
    if (!bound.isSuccess()) {
      Throwable why = bound.cause();
      throw new EngineException(
          "cannot listen on "
              + listen.describe()
              + ": "
              + (why == null ? "unknown" : why.getMessage())
              + " (is another engine or dockerd using that port?)",
          why);
    }
    tcp.add(bound.channel());
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

  /** How many client connections are open. */
  int connections() {
    return connections.count();
  }

  /** Stops serving (containers keep running) and removes the socket. */
  @Override
  public void close() {
    Thread w = warmUp;
    if (w != null) {
      // Done before the engine releases its run directory, so that what it wrote there goes too.
      try {
        w.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    tcp.forEach(c -> c.close().awaitUninterruptibly());
    channel.close().awaitUninterruptibly();
    group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    workers.shutdownNow();
    try {
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // Nothing else to do.
    }
  }
}
