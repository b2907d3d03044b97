package io.jstack.cli;

import io.jstack.cli.internal.Caller;
import io.jstack.cli.internal.ErrorHandler;
import io.jstack.cli.internal.VersionProvider;
import io.jstack.cli.internal.WriterOutput;
import io.jstack.engine.Engine;
import io.jstack.engine.Stdio;
import io.jstack.runtime.Engines;
import java.io.PrintWriter;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code jstack} command: its verbs, global options and exit codes. */
@Command(
    name = "jstack",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Run compose-style multi-container stacks.",
    synopsisSubcommandLabel = "COMMAND",
    footer = {"", "Run 'jstack COMMAND --help' for more information on a command."})
public final class Jstack {
  /**
   * The verbs, in the order help lists them. A command line builds the model of only the verb it
   * names (picocli reads every option of a verb by reflection, ~10 ms each); help, completion and
   * anything picocli must correct get them all.
   */
  private static final java.util.List<Class<?>> VERBS =
      java.util.List.of(
          CommandLine.HelpCommand.class,
          AttachCommand.class,
          BuildCommand.class,
          CommitCommand.class,
          CompletionCommand.class,
          ConfigCommand.class,
          CpCommand.class,
          CreateCommand.class,
          DownCommand.class,
          EngineCommand.class,
          EventsCommand.class,
          ExecCommand.class,
          ExportCommand.class,
          ImageCommands.class,
          ImagesCommand.class,
          LifecycleCommands.Kill.class,
          LogsCommand.class,
          LsCommand.class,
          NetworkCommands.class,
          LifecycleCommands.Pause.class,
          PortCommand.class,
          PullPushCommands.Pull.class,
          PullPushCommands.Push.class,
          PsCommand.class,
          LifecycleCommands.Restart.class,
          RmCommand.class,
          RunCommand.class,
          ScaleCommand.class,
          LifecycleCommands.Start.class,
          StatsCommand.class,
          LifecycleCommands.Stop.class,
          TopCommand.class,
          LifecycleCommands.Unpause.class,
          UpCommand.class,
          VersionCommand.class,
          VolumeCommands.class,
          VolumesCommand.class,
          WaitCommand.class,
          WatchCommand.class);

  @Mixin ProjectFlags project = new ProjectFlags();

  @Option(
      names = "--engine",
      paramLabel = "docker|embedded|swarm",
      scope = ScopeType.INHERIT,
      description =
          "The engine to use (default: docker when --host or DOCKER_HOST is set, else jstack's embedded engine, which the CLI starts on demand; swarm, never the default: the stack on the Swarm manager at --host or DOCKER_HOST, for up, down, ps, logs and config).")
  Engines.@Nullable Kind engine;

  @Option(
      names = {"-H", "--host"},
      paramLabel = "ADDR",
      description =
          "The Docker engine or Swarm manager to use, before the command as with docker (unix:///path or tcp://host:port, with DOCKER_TLS_VERIFY and DOCKER_CERT_PATH for TLS; default: $DOCKER_HOST).")
  @Nullable String host;

  @Option(
      names = "--progress",
      paramLabel = "auto|tty|plain|quiet|json",
      scope = ScopeType.INHERIT,
      description = "How to show progress (default: auto, a live view on a terminal).")
  io.jstack.cli.internal.ProgressView.Mode progress = io.jstack.cli.internal.ProgressView.Mode.auto;

  @Option(
      names = "--ansi",
      paramLabel = "auto|never|always",
      scope = ScopeType.INHERIT,
      description = "When to use colours and the live view (default: auto, on a terminal).")
  io.jstack.cli.internal.LogPrinter.Ansi ansi = io.jstack.cli.internal.LogPrinter.Ansi.auto;

  private final Caller caller;
  private final java.util.function.BiFunction<Engines.Kind, Map<String, String>, Engine> engines;
  private final Stdio stdio;

  Jstack(
      Caller caller,
      java.util.function.BiFunction<Engines.Kind, Map<String, String>, Engine> engines,
      Stdio stdio) {
    this.caller = caller;
    this.engines = engines;
    this.stdio = stdio;
  }

  /** Who this command line runs for: its directory, environment, terminal and Ctrl-C. */
  Caller caller() {
    return caller;
  }

  /** Whether colours and the live view are on: as {@code --ansi} says, for this caller. */
  boolean ansi() {
    return ansi.enabled(caller.terminal(), caller.environment());
  }

  /** What jstack reads as its standard input ({@code -f -}, exec); empty when it was given none. */
  java.io.InputStream stdin() {
    java.io.InputStream in = stdio.in();
    return in != null ? in : java.io.InputStream.nullInputStream();
  }

  /**
   * jstack's standard input and its output as bytes, for what containers print ({@code exec},
   * {@code run}); flush the command line's writers before writing here.
   */
  Stdio stdio() {
    return stdio;
  }

  /** Connects to the engine {@code --engine} names. */
  Engine openEngine() {
    return openEngine(engineKind());
  }

  /** The kind of engine {@code --engine} names, or the default for this environment. */
  private Engines.Kind engineKind() {
    return engine != null
        ? engine
        : engineEnvironment().containsKey("DOCKER_HOST")
            ? Engines.Kind.docker
            : Engines.Kind.embedded;
  }

  /**
   * Takes the lock of {@code project} on the engine this command line uses, for {@code command}
   * (e.g. {@code jstack up}), which changes the project's containers, networks or volumes; while
   * another command holds it, says so once on {@code err} and waits.
   */
  io.jstack.runtime.ProjectLock lockProject(String project, String command, PrintWriter err)
      throws InterruptedException {
    return io.jstack.runtime.ProjectLock.take(
        engineKind(),
        engineEnvironment(),
        project,
        command,
        line -> {
          err.println(line);
          err.flush();
        });
  }

  /**
   * The environment engines are found by: jstack's own, with {@code DOCKER_HOST} from {@code
   * --host} when given.
   *
   * @throws EngineException when {@code --host} goes with {@code --engine embedded}, which is found
   *     by its socket instead
   */
  Map<String, String> engineEnvironment() {
    if (host == null) {
      return caller.environment();
    }
    if (engine == Engines.Kind.embedded) {
      throw new io.jstack.engine.EngineException(
          "--host names a Docker engine or Swarm manager, not the embedded engine: drop --host, or"
              + " give the embedded engine's socket as JSTACK_ENGINE_SOCKET");
    }
    Map<String, String> env = new java.util.HashMap<>(caller.environment());
    env.put("DOCKER_HOST", host);
    return env;
  }

  /** Connects to the Docker engine at {@code --host} or {@code DOCKER_HOST} (a swarm's manager). */
  Engine openDockerEngine() {
    return openEngine(Engines.Kind.docker);
  }

  /** Whether {@code --engine swarm} asks for a stack on a Swarm manager. */
  boolean swarm() {
    return engine == Engines.Kind.swarm;
  }

  /** Connects to the embedded engine, starting it when it does not run. */
  Engine openEmbeddedEngine() {
    return openEngine(Engines.Kind.embedded);
  }

  private Engine openEngine(Engines.Kind kind) {
    Map<String, String> env = engineEnvironment();
    if (dataRoot != null && !dataRoot.isBlank()) {
      // An embedded engine the CLI starts must use the data root of this command line.
      env = new java.util.HashMap<>(env);
      env.put("JSTACK_DATA_ROOT", dataRoot().path().toString());
    }
    return engines.apply(kind, env);
  }

  /** The environment jstack was started with. */
  Map<String, String> environment() {
    return caller.environment();
  }

  @Option(
      names = "--data-root",
      paramLabel = "DIR",
      scope = ScopeType.INHERIT,
      description =
          "The embedded engine's data (default: $JSTACK_DATA_ROOT, else /var/lib/jstack).")
  @Nullable String dataRoot;

  /** The embedded engine's data root, from --data-root, JSTACK_DATA_ROOT or the default. */
  io.jstack.runtime.DataRoot dataRoot() {
    return io.jstack.runtime.DataRoot.resolve(
        dataRoot == null || dataRoot.isBlank() ? null : caller.resolve(dataRoot).toString(),
        caller.environment());
  }

  @Option(
      names = "--stacktrace",
      scope = ScopeType.INHERIT,
      description = "Print the stack trace of an error.")
  boolean stacktrace;

  /** Success. */
  public static final int EXIT_OK = 0;

  /** The command ran and failed. */
  public static final int EXIT_FAILURE = 1;

  /** The command line itself was wrong. */
  public static final int EXIT_USAGE = 2;

  /**
   * Runs one command line and returns its exit code; everything is written to {@code out} and
   * {@code err}.
   */
  public static int run(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    return run(args, out, err, env, Engines::open, System.in);
  }

  /**
   * As {@link #run(String[], PrintWriter, PrintWriter, Map)}, with the engines and standard input
   * given (for tests); what containers print goes to {@code out} and {@code err} too.
   */
  static int run(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      java.util.function.BiFunction<Engines.Kind, Map<String, String>, Engine> engines,
      java.io.InputStream stdin) {
    Stdio stdio = new Stdio(stdin, new WriterOutput(out), new WriterOutput(err), null);
    return commandLine(args, out, err, Caller.process(env), engines, stdio).execute(args);
  }

  /** The process's own entry: bytes from containers go straight to its standard streams. */
  static int runProcess(String[] args, PrintWriter out, PrintWriter err, Map<String, String> env) {
    Stdio stdio = new Stdio(System.in, System.out, System.err, null);
    return commandLine(args, out, err, Caller.process(env), Engines::open, stdio).execute(args);
  }

  /**
   * Runs one command line for {@code caller}, whose output is {@code out} and {@code err} (text)
   * and {@code stdio} (bytes), with {@code engines}, and returns its exit code.
   */
  static int run(
      String[] args,
      Caller caller,
      java.util.function.BiFunction<Engines.Kind, Map<String, String>, Engine> engines,
      Stdio stdio,
      PrintWriter out,
      PrintWriter err) {
    return commandLine(args, out, err, caller, engines, stdio).execute(args);
  }

  /** The whole command line, every verb included (help, completion, tests). */
  static CommandLine commandLine(
      PrintWriter out,
      PrintWriter err,
      Map<String, String> env,
      java.util.function.BiFunction<Engines.Kind, Map<String, String>, Engine> engines,
      Stdio stdio) {
    return commandLine(new String[0], out, err, Caller.process(env), engines, stdio);
  }

  /** The command line that {@code args} needs: only the verb they name, when they name one. */
  static CommandLine commandLine(
      String[] args,
      PrintWriter out,
      PrintWriter err,
      Caller caller,
      java.util.function.BiFunction<Engines.Kind, Map<String, String>, Engine> engines,
      Stdio stdio) {
    CommandLine cl = new CommandLine(new Jstack(caller, engines, stdio));
    addVerbs(cl, args);
    ErrorHandler handler = new ErrorHandler();
    cl.setOut(out);
    cl.setErr(err);
    cl.setParameterExceptionHandler(handler);
    cl.setExecutionExceptionHandler(handler);
    cl.setExitCodeExceptionMapper(handler);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    addHelpOptions(cl);
    Map<String, CommandLine> verbs = cl.getSubcommands();
    if (verbs.containsKey("help")) {
      // picocli's help command puts a header before its usage: every command's help starts with
      // it.
      CommandLine.Model.UsageMessageSpec help = verbs.get("help").getCommandSpec().usageMessage();
      help.description(help.header());
      help.header(new String[0]);
      help.synopsisHeading("Usage: ");
    }
    // Everything after exec's SERVICE belongs to the command run in the container.
    for (String verb : new String[] {"exec", "run"}) {
      if (verbs.containsKey(verb)) {
        verbs.get(verb).setStopAtPositional(true);
      }
    }
    return cl;
  }

  /**
   * Adds the verb {@code args} name, none for {@code --version} alone, or every verb when they name
   * none that needs nothing else (no verb, {@code help}, {@code completion}, a misspelt verb
   * picocli should correct).
   */
  private static void addVerbs(CommandLine cl, String[] args) {
    if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
      return; // The version needs no verb.
    }
    String verb = verbOf(cl.getCommandSpec(), args);
    for (Class<?> type : VERBS) {
      Command command = java.util.Objects.requireNonNull(type.getAnnotation(Command.class));
      if (verb == null || verb.equals(command.name())) {
        cl.addSubcommand(command.name(), type);
        if (verb != null) {
          return;
        }
      }
    }
    if (verb != null) {
      addVerbs(cl, new String[0]);
    }
  }

  /**
   * The first argument that is neither a global option nor its value; null when there is none or
   * when it is a verb that needs all the others (help, completion).
   */
  static @Nullable String verbOf(CommandLine.Model.CommandSpec root, String[] args) {
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (arg.equals("--")) {
        return null;
      }
      if (!arg.startsWith("-") || arg.equals("-")) {
        return arg.equals("help") || arg.equals("completion") ? null : arg;
      }
      if (arg.startsWith("--") && arg.contains("=")) {
        continue;
      }
      CommandLine.Model.OptionSpec option = root.findOption(arg);
      if (option == null && !arg.startsWith("--") && arg.length() > 2) {
        // A short option with its value attached (-fcompose.yaml) or a cluster of flags.
        option = root.findOption(arg.substring(0, 2));
        if (option != null && option.arity().max() > 0) {
          continue;
        }
      }
      if (option == null) {
        return null; // Let picocli say what is wrong, with every verb known.
      }
      if (option.arity().max() > 0) {
        i++;
      }
    }
    return null;
  }

  /**
   * Gives every command and subcommand {@code -h} and {@code --help}, which print its own usage on
   * standard output and exit 0 (as {@code docker compose up --help} does).
   */
  private static void addHelpOptions(CommandLine cl) {
    CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
    if (spec.findOption("--help") == null) {
      spec.addOption(
          CommandLine.Model.OptionSpec.builder("-h", "--help")
              .usageHelp(true)
              .description("Show this help message and exit.")
              .build());
    }
    for (CommandLine sub : cl.getSubcommands().values()) {
      addHelpOptions(sub);
    }
  }
}
