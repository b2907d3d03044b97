package io.jstack.cli.internal;

import io.jstack.planner.Operation;
import io.jstack.planner.PlanEvent;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Plain progress lines, one when an operation starts and one when it ends, in Docker Compose's
 * words: {@code Container demo-web-1 Creating}, {@code Container demo-web-1 Created}.
 */
public final class Progress implements Consumer<PlanEvent> {
  private final PrintWriter out;

  public Progress(PrintWriter out) {
    this.out = out;
  }

  @Override
  public synchronized void accept(PlanEvent event) {
    Operation op = event.operation();
    String[] words = words(op);
    String line;
    if (event instanceof PlanEvent.Failed f) {
      line = "Error: " + f.cause().getMessage();
    } else if (event instanceof PlanEvent.Finished f) {
      line = f.skipped() == null ? words[2] : words[2] + " (" + f.skipped() + ")";
    } else {
      line = words[1];
    }
    out.printf(" %s %s  %s%n", words[0], op.step().target(), line);
    out.flush();
  }

  /** {resource, doing, done} for an operation. */
  static String[] words(Operation op) {
    String verb = op.step().verb();
    int space = verb.indexOf(' ');
    String action = space < 0 ? verb : verb.substring(0, space);
    String what = space < 0 ? "" : verb.substring(space + 1);
    String resource =
        what.isEmpty()
            ? "Service"
            : what.substring(0, 1).toUpperCase(Locale.ROOT) + what.substring(1);
    return switch (action) {
      case "create" -> new String[] {resource, "Creating", "Created"};
      case "start" -> new String[] {resource, "Starting", "Started"};
      case "stop" -> new String[] {resource, "Stopping", "Stopped"};
      case "remove" -> new String[] {resource, "Removing", "Removed"};
      case "rename" -> new String[] {resource, "Renaming", "Renamed"};
      case "pull" -> new String[] {resource, "Pulling", "Pulled"};
      case "kill" -> new String[] {resource, "Killing", "Killed"};
      case "pause" -> new String[] {resource, "Pausing", "Paused"};
      case "unpause" -> new String[] {resource, "Unpausing", "Unpaused"};
      case "wait" -> new String[] {"Service", "Waiting", "Ready"};
      default -> new String[] {resource, verb, "done"};
    };
  }
}
