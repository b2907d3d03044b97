package io.jstack.planner;

import io.jstack.compose.ComposeLoader;
import io.jstack.compose.Project;
import io.jstack.compose.ProjectOptions;
import io.jstack.engine.Engine;
import io.jstack.engine.testing.FakeEngine;
import io.jstack.planner.step.AwaitService;
import io.jstack.planner.step.CreateContainer;
import io.jstack.planner.step.CreateNetwork;
import io.jstack.planner.step.CreateVolume;
import io.jstack.planner.step.PullImage;
import io.jstack.planner.step.RemoveAnonymousVolume;
import io.jstack.planner.step.RemoveContainer;
import io.jstack.planner.step.RemoveImage;
import io.jstack.planner.step.RemoveNetwork;
import io.jstack.planner.step.RemoveVolume;
import io.jstack.planner.step.RenameContainer;
import io.jstack.planner.step.StartContainer;
import io.jstack.planner.step.Step;
import io.jstack.planner.step.StopContainer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Test fixture for running plans: loads projects from YAML, records what the executor reports, and
 * relates operations to the engine calls they make.
 */
final class Runs {
  private Runs() {}

  /** Loads {@code yaml} as {@code dir/compose.yaml}. */
  static Project load(Path dir, String yaml) {
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("compose.yaml");
      Files.writeString(file, yaml);
      return ComposeLoader.load(ProjectOptions.of(List.of(file), Map.of("HOME", "/root"), dir))
          .project();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The plan of {@code up} for what {@code engine} has now. */
  static Plan up(Engine engine, Project project, UpOptions options) {
    return new Planner(project, Set.of(), ObservedState.read(engine, project), World.ORIGIN)
        .up(options);
  }

  /** The plan of {@code down} for what {@code engine} has now. */
  static Plan down(Engine engine, Project project, DownOptions options) {
    return new Planner(project, Set.of(), ObservedState.read(engine, project), World.ORIGIN)
        .down(options);
  }

  /**
   * The mutating {@link FakeEngine} call a step makes when it has work to do, as {@code op target}
   * (the names of {@link FakeEngine.Call}); null for steps that only look (waits).
   */
  static String callOf(Step step) {
    if (step instanceof CreateNetwork s) {
      return "createNetwork " + s.spec().name();
    } else if (step instanceof RemoveNetwork s) {
      return "removeNetwork " + s.name();
    } else if (step instanceof CreateVolume s) {
      return "createVolume " + s.spec().name();
    } else if (step instanceof RemoveVolume s) {
      return "removeVolume " + s.name();
    } else if (step instanceof RemoveAnonymousVolume s) {
      return "removeVolume " + s.name();
    } else if (step instanceof PullImage s) {
      return "pullImage " + s.reference();
    } else if (step instanceof RemoveImage s) {
      return "removeImage " + s.reference();
    } else if (step instanceof CreateContainer s) {
      return "createContainer " + s.spec().name();
    } else if (step instanceof StartContainer s) {
      return "startContainer " + s.name();
    } else if (step instanceof StopContainer s) {
      return "stopContainer " + s.name();
    } else if (step instanceof RemoveContainer s) {
      return "removeContainer " + s.name();
    } else if (step instanceof RenameContainer s) {
      return "renameContainer " + s.from();
    } else if (step instanceof AwaitService) {
      return null;
    }
    throw new IllegalArgumentException("unknown step " + step);
  }

  /** What the executor reported, in the order it reported it. */
  static final class Events implements Consumer<PlanEvent> {
    private final List<PlanEvent> events = new ArrayList<>();

    @Override
    public synchronized void accept(PlanEvent e) {
      events.add(e);
      notifyAll();
    }

    /** Waits (10 s at most) until operation {@code id} has reported an event of {@code type}. */
    synchronized void await(Class<? extends PlanEvent> type, int id) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (indexOf(type, id) < 0) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError(
              "no " + type.getSimpleName() + " event for operation " + id + " in " + events);
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    synchronized List<PlanEvent> all() {
      return List.copyOf(events);
    }

    /** The ids of the operations that began. */
    synchronized Set<Integer> started() {
      return ids(PlanEvent.Started.class);
    }

    /** The ids of the operations that finished (without failing). */
    synchronized Set<Integer> finished() {
      return ids(PlanEvent.Finished.class);
    }

    /** The ids of the operations that failed. */
    synchronized Set<Integer> failed() {
      return ids(PlanEvent.Failed.class);
    }

    /** The position of the first event of {@code type} for operation {@code id}, or -1. */
    synchronized int indexOf(Class<? extends PlanEvent> type, int id) {
      for (int i = 0; i < events.size(); i++) {
        PlanEvent e = events.get(i);
        if (type.isInstance(e) && e.operation().id() == id) {
          return i;
        }
      }
      return -1;
    }

    private Set<Integer> ids(Class<? extends PlanEvent> type) {
      Set<Integer> out = new TreeSet<>();
      events.stream().filter(type::isInstance).forEach(e -> out.add(e.operation().id()));
      return out;
    }
  }
}
