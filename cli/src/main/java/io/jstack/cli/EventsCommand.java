package io.jstack.cli;

import io.jstack.cli.internal.Signals;
import io.jstack.compose.LoadedProject;
import io.jstack.compose.ProjectWriter;
import io.jstack.engine.Engine;
import io.jstack.engine.EventStream;
import io.jstack.planner.ComposeLabels;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code jstack events}: follow what happens to the project's containers until Ctrl-C. */
@Command(
    name = "events",
    description = "Follow the events of the project's containers (Ctrl-C ends).")
final class EventsCommand extends ProjectCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS").withZone(ZoneOffset.UTC);

  @Parameters(paramLabel = "SERVICE", description = "Only these services.")
  List<String> services = new ArrayList<>();

  @Option(names = "--json", description = "One JSON object per event.")
  boolean json;

  @Override
  public Integer call() {
    LoadedProject loaded = load();
    requireServices(loaded, services);
    Engine engine = engine();
    Signals.Registration signals = root.caller().interrupts().exitOnInterrupt();
    try (EventStream events =
        engine.events(Map.of(ComposeLabels.PROJECT, loaded.project().name()))) {
      for (EventStream.Event e = events.next(); e != null; e = events.next()) {
        String service = e.attributes().get(ComposeLabels.SERVICE);
        if (!services.isEmpty() && !services.contains(service)) {
          continue;
        }
        if (json) {
          Map<String, Object> m = new TreeMap<>();
          m.put("time", e.time().toString());
          m.put("type", e.type());
          m.put("action", e.action());
          m.put("id", e.id());
          m.put("service", service == null ? "" : service);
          m.put("attributes", e.attributes());
          out().println(ProjectWriter.jsonLine(m));
        } else {
          out()
              .println(
                  TIME.format(e.time())
                      + " "
                      + e.type()
                      + " "
                      + e.action()
                      + " "
                      + e.id()
                      + " (name="
                      + e.attributes().getOrDefault("name", "")
                      + ")");
        }
        out().flush();
      }
      return Jstack.EXIT_OK;
    } finally {
      signals.close();
      close(engine);
    }
  }
}
