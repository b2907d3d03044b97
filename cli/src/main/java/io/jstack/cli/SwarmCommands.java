package io.jstack.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.EngineAddress;
import io.jstack.engine.docker.DockerSwarm;
import io.jstack.planner.swarm.SwarmSpecs;
import io.jstack.planner.swarm.SwarmStack;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code up}, {@code down} and {@code ps} with {@code --engine swarm}: the project as a stack on
 * the Swarm manager at {@code DOCKER_HOST} (with its TLS variables), reconciled by {@link
 * SwarmStack}.
 */
final class SwarmCommands {
  private SwarmCommands() {}

  private static DockerSwarm open(Jstack root) {
    return DockerSwarm.connect(EngineAddress.fromEnvironment(root.environment()));
  }

  /** {@code up}: the plan, printed with {@code dryRun}, else applied (and waited for). */
  static int up(
      Jstack root,
      LoadedProject loaded,
      PrintWriter out,
      PrintWriter err,
      boolean dryRun,
      boolean removeOrphans,
      boolean waitReady,
      Duration waitTimeout)
      throws IOException, InterruptedException {
    try (DockerSwarm swarm = open(root)) {
      SwarmStack stack = new SwarmStack(swarm, loaded.project());
      SwarmStack.Plan plan;
      try {
        plan = stack.up(removeOrphans);
      } catch (IllegalArgumentException e) {
        err.println("jstack: " + e.getMessage());
        return Jstack.EXIT_FAILURE;
      }
      plan.warnings().forEach(w -> err.println("jstack: warning: " + w));
      if (dryRun) {
        print(plan, out);
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

  /** {@code down}: the stack's services, networks, configs and secrets removed. */
  static int down(Jstack root, LoadedProject loaded, PrintWriter out, PrintWriter err)
      throws IOException, InterruptedException {
    try (DockerSwarm swarm = open(root)) {
      SwarmStack stack = new SwarmStack(swarm, loaded.project());
      SwarmStack.Plan plan = stack.down();
      apply(stack, plan, out);
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

  private static void print(SwarmStack.Plan plan, PrintWriter out) {
    if (plan.isEmpty()) {
      out.println("nothing to do");
      return;
    }
    int i = 1;
    for (SwarmStack.Step s : plan.steps()) {
      out.println(i++ + ". " + s.describe() + " (" + s.reason() + ")");
    }
  }
}
