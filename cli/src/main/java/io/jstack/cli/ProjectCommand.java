package io.jstack.cli;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.LoadedProject;
import io.jstack.engine.Engine;
import io.jstack.planner.ContainerSpecs;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** What every verb that works on a project needs: the loaded project, an engine, the output. */
@Command
abstract class ProjectCommand {
  @Spec CommandSpec spec;
  @ParentCommand Jstack root;

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }

  /** Loads the project the global flags select; its warnings go to stderr. */
  LoadedProject load() {
    LoadedProject p = ComposeLoader.load(root.project.toOptions(root.environment(), System.in));
    p.warnings().forEach(w -> err().println("jstack: warning: " + w));
    err().flush();
    return p;
  }

  /** Connects to the engine the global flags select. */
  Engine engine() {
    return root.openEngine();
  }

  static ContainerSpecs.Origin origin(LoadedProject p) {
    return new ContainerSpecs.Origin(
        p.workingDirectory().toString(), p.configFiles(), p.environment());
  }

  static void close(Engine engine) {
    if (engine instanceof AutoCloseable c) {
      try {
        c.close();
      } catch (Exception e) {
        // Nothing useful to do about a failed close at the end of a command.
      }
    }
  }
}
