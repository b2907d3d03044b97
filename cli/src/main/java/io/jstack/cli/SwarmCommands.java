package io.jstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.cli.internal.LogPrinter;
import io.jstack.cli.internal.Signals;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.Service;
import io.jstack.engine.Engine;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.EngineException;
import io.jstack.engine.LogStream;
import io.jstack.engine.docker.DockerSwarm;
import io.jstack.planner.swarm.SwarmSpecs;
import io.jstack.planner.swarm.SwarmStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * {@code up}, {@code down}, {@code ps} and {@code logs} with {@code --engine swarm}: the project as
 * a stack on the Swarm manager at {@code DOCKER_HOST} (with its TLS variables), reconciled by
 * {@link SwarmStack}.
 */
final class SwarmCommands {
  private SwarmCommands() {}

  private static DockerSwarm open(Jstack root) {
    return DockerSwarm.connect(EngineAddress.fromEnvironment(root.engineEnvironment()));
  }

  /** {@code up}: the plan, printed with {@code dryRun}, else applied (and waited for). */
  static int up(
      Jstack root,
      LoadedProject loaded,
      PrintWriter out,
      PrintWriter err,
      boolean dryRun,
      boolean buildPush,
      boolean removeOrphans,
      boolean waitReady,
      Duration waitTimeout)
      throws IOException, InterruptedException {
    try (DockerSwarm swarm = open(root)) {
      List<Service> built =
          loaded.project().services().values().stream()
              .filter(s -> buildPush && s.build() != null)
              .sorted(Comparator.comparing(Service::name))
              .toList();
      for (Service s : built) {
        if (s.image() == null || s.image().isEmpty()) {
          err.println(
              "jstack: service "
                  + s.name()
                  + ": up --build --push needs an image: naming the registry to push to (e.g."
                  + " image: registry.example.com:5000/"
                  + s.name()
                  + ":1)");
          return Jstack.EXIT_FAILURE;
        }
      }
      Map<String, String> pushed = new java.util.TreeMap<>();
      if (dryRun) {
        // Planned as built and pushed, by the names the file gives: the digests come later.
        built.forEach(s -> pushed.put(s.name(), java.util.Objects.requireNonNull(s.image())));
      } else if (!built.isEmpty()) {
        Engine manager = root.openDockerEngine();
        try {
          BuildCommand.build(manager, loaded, built, false, false, Map.of(), false, out);
          for (Service s : built) {
            pushed.put(s.name(), push(manager, s, out));
          }
        } finally {
          ProjectCommand.close(manager);
        }
      }
      SwarmStack stack = new SwarmStack(swarm, loaded.project(), loaded.environment(), pushed);
      SwarmStack.Plan plan;
      try {
        plan = stack.up(removeOrphans);
      } catch (IllegalArgumentException e) {
        err.println("jstack: " + e.getMessage());
        return Jstack.EXIT_FAILURE;
      }
      plan.warnings().forEach(w -> err.println("jstack: warning: " + w));
      if (dryRun) {
        print(built, plan, out);
        return Jstack.EXIT_OK;
      }
      apply(stack, plan, out);
      if (waitReady) {
        stack.awaitConverged(plan, waitTimeout);
        out.println("stack " + loaded.project().name() + " converged");
      }
      return Jstack.EXIT_OK;
    }
  }

  /**
   * Pushes {@code s}'s image from {@code engine} to its registry; the image by the digest the
   * registry took ({@code registry/app:1@sha256:…}).
   *
   * @throws EngineException when the push fails, or the engine reports no digest
   */
  private static String push(Engine engine, Service s, PrintWriter out) {
    String image = java.util.Objects.requireNonNull(s.image());
    out.println(" Service " + s.name() + "  Pushing " + image);
    out.flush();
    String digest = engine.pushImage(image, p -> {});
    String pinned = image.contains("@") ? image : image + "@" + digest;
    out.println(" Service " + s.name() + "  Pushed " + pinned);
    out.flush();
    return pinned;
  }

  /**
   * {@code down}: the stack's services, networks, configs and secrets removed; with {@code dryRun}
   * the plan of that, printed, and nothing removed.
   */
  static int down(
      Jstack root, LoadedProject loaded, PrintWriter out, PrintWriter err, boolean dryRun)
      throws IOException, InterruptedException {
    try (DockerSwarm swarm = open(root)) {
      SwarmStack stack = new SwarmStack(swarm, loaded.project(), loaded.environment(), Map.of());
      SwarmStack.Plan plan = stack.down();
      if (dryRun) {
        print(List.of(), plan, out);
      } else {
        apply(stack, plan, out);
      }
      plan.warnings().forEach(w -> err.println("jstack: " + w));
      return Jstack.EXIT_OK;
    }
  }

  /** {@code ps}: the stack's services, as {@code docker stack services} lists them. */
  static int ps(Jstack root, LoadedProject loaded, PrintWriter out) {
    try (DockerSwarm swarm = open(root)) {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"NAME", "MODE", "REPLICAS", "IMAGE", "PORTS"});
      for (DockerSwarm.Service s :
          swarm.services(Map.of(SwarmSpecs.NAMESPACE, loaded.project().name()))) {
        JsonNode mode = s.spec().path("Mode");
        String kind =
            mode.fieldNames().hasNext()
                ? mode.fieldNames().next().toLowerCase(java.util.Locale.ROOT)
                : "replicated";
        List<String> ports = new ArrayList<>();
        for (JsonNode p : s.spec().path("EndpointSpec").path("Ports")) {
          ports.add(
              (p.has("PublishedPort") ? "*:" + p.path("PublishedPort").asInt() + "->" : "")
                  + p.path("TargetPort").asInt()
                  + "/"
                  + p.path("Protocol").asText("tcp"));
        }
        rows.add(
            new String[] {
              s.name(),
              kind,
              s.runningTasks() + "/" + s.desiredTasks(),
              s.spec().path("TaskTemplate").path("ContainerSpec").path("Image").asText(),
              String.join(", ", ports)
            });
      }
      int[] widths = new int[5];
      for (String[] r : rows) {
        for (int i = 0; i < r.length; i++) {
          widths[i] = Math.max(widths[i], r[i].length());
        }
      }
      for (String[] r : rows) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < r.length; i++) {
          line.append(i == r.length - 1 ? r[i] : String.format("%-" + (widths[i] + 3) + "s", r[i]));
        }
        out.println(line.toString().stripTrailing());
      }
      return Jstack.EXIT_OK;
    }
  }

  /**
   * {@code logs}: what the tasks of the stack's services (all, or {@code only}) wrote, gathered by
   * the manager from every node and merged in time order (stable for equal times), each line
   * prefixed with its task ({@code web.2@node}).
   */
  static int logs(
      Jstack root,
      LoadedProject loaded,
      List<String> only,
      @Nullable Integer tail,
      @Nullable String since,
      LogPrinter printer) {
    try (DockerSwarm swarm = open(root)) {
      TaskNames names = new TaskNames(swarm, loaded.project().name(), only);
      // Timestamps asked for always: they order the lines; the printer shows them only with -t.
      LogStream.Options options = new LogStream.Options(false, tail, since, null, true);
      List<Map.Entry<Integer, DockerSwarm.TaskLine>> lines = new ArrayList<>();
      for (int i = 0; i < names.services.size(); i++) {
        DockerSwarm.Service s = names.services.get(i);
        try (LogStream stream = swarm.logs(s.id(), options, tty(s))) {
          LogStream.Line line;
          while ((line = stream.next()) != null) {
            lines.add(Map.entry(i, DockerSwarm.taskLine(line)));
          }
        }
      }
      lines.sort(Comparator.comparing(e -> String.valueOf(e.getValue().line().timestamp())));
      for (Map.Entry<Integer, DockerSwarm.TaskLine> e : lines) {
        names.print(printer, e.getKey(), e.getValue());
      }
      return Jstack.EXIT_OK;
    }
  }

  /**
   * {@code logs -f}: the stack's tasks' output as it comes, interleaved, until every stream ends
   * (the services are removed) or Ctrl-C.
   */
  static int followLogs(
      Jstack root,
      LoadedProject loaded,
      List<String> only,
      @Nullable Integer tail,
      @Nullable String since,
      LogPrinter printer)
      throws InterruptedException {
    Signals.Registration signals = root.caller().interrupts().exitOnInterrupt();
    try (DockerSwarm swarm = open(root)) {
      TaskNames names = new TaskNames(swarm, loaded.project().name(), only);
      LogStream.Options options = new LogStream.Options(true, tail, since, null, true);
      List<Thread> readers = new ArrayList<>();
      for (int i = 0; i < names.services.size(); i++) {
        int index = i;
        DockerSwarm.Service s = names.services.get(i);
        LogStream stream = swarm.logs(s.id(), options, tty(s));
        Thread reader =
            new Thread(
                () -> {
                  try (stream) {
                    LogStream.Line line;
                    while ((line = stream.next()) != null) {
                      names.print(printer, index, DockerSwarm.taskLine(line));
                    }
                  }
                },
                "logs of " + s.name());
        reader.setDaemon(true);
        reader.start();
        readers.add(reader);
      }
      for (Thread t : readers) {
        t.join();
      }
      return Jstack.EXIT_OK;
    } finally {
      signals.close();
    }
  }

  private static boolean tty(DockerSwarm.Service s) {
    return s.spec().path("TaskTemplate").path("ContainerSpec").path("TTY").asBoolean(false);
  }

  /**
   * The stack's services to show and a short name for each of their tasks: {@code web.2@node} for a
   * replica, {@code web@node} for a global service's task; tasks that start later are looked up
   * when their first line comes.
   */
  private static final class TaskNames {
    final List<DockerSwarm.Service> services;
    private final DockerSwarm swarm;
    private final String prefix;
    private final Map<String, String> nodes = new java.util.HashMap<>();
    private final Map<String, String> tasks = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int width;

    TaskNames(DockerSwarm swarm, String project, List<String> only) {
      this.swarm = swarm;
      this.prefix = project + "_";
      this.services =
          swarm.services(Map.of(SwarmSpecs.NAMESPACE, project)).stream()
              .filter(s -> only.isEmpty() || only.contains(shortName(s)))
              .sorted(Comparator.comparing(DockerSwarm.Service::name))
              .toList();
      swarm.nodes().forEach(n -> nodes.put(n.id(), n.hostname()));
      services.forEach(this::learn);
    }

    private String shortName(DockerSwarm.Service s) {
      return s.name().startsWith(prefix) ? s.name().substring(prefix.length()) : s.name();
    }

    private void learn(DockerSwarm.Service s) {
      for (DockerSwarm.Task t : swarm.tasks(s.id())) {
        String name =
            shortName(s)
                + (t.slot() > 0 ? "." + t.slot() : "")
                + "@"
                + nodes.getOrDefault(t.nodeId(), t.nodeId());
        tasks.put(t.id(), name);
        width = Math.max(width, name.length());
      }
    }

    void print(LogPrinter printer, int service, DockerSwarm.TaskLine line) {
      String name = tasks.get(line.taskId());
      if (name == null) {
        synchronized (this) {
          learn(services.get(service));
        }
        name = tasks.getOrDefault(line.taskId(), shortName(services.get(service)));
      }
      printer.println(printer.prefix(name, service, width), line.line());
    }
  }

  /** Runs {@code plan}, a line for each step as it is done ("nothing to do" for none). */
  private static void apply(SwarmStack stack, SwarmStack.Plan plan, PrintWriter out)
      throws IOException, InterruptedException {
    if (plan.isEmpty()) {
      out.println("nothing to do");
    }
    stack.apply(
        plan,
        line -> {
          out.println(" " + line);
          out.flush();
        });
  }

  /**
   * The plan of a dry run: the builds and pushes first ({@code built}, whose digests are not known
   * yet: the plan's steps show the images as they are), then the plan's steps.
   */
  private static void print(List<Service> built, SwarmStack.Plan plan, PrintWriter out) {
    if (built.isEmpty() && plan.isEmpty()) {
      out.println("nothing to do");
      return;
    }
    int i = 1;
    for (Service s : built) {
      out.println(
          i++
              + ". build service "
              + s.name()
              + " on the manager and push "
              + s.image()
              + " (--build --push: then run by the pushed digest)");
    }
    for (SwarmStack.Step s : plan.steps()) {
      out.println(i++ + ". " + s.describe() + " (" + s.reason() + ")");
    }
  }
}
