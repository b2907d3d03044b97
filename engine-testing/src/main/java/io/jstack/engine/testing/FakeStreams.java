package io.jstack.engine.testing;

import io.jstack.engine.ContainerInfo.State;
import io.jstack.engine.EngineException;
import io.jstack.engine.EventStream;
import io.jstack.engine.LogStream;
import io.jstack.engine.Stdio;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What the fake engine streams: containers' output (what {@link FakeEngine#write} made them print)
 * and events. Readers wait on the engine's lock, which every change wakes.
 */
final class FakeStreams {
  private final FakeState state;
  private final FakeContainers containers;

  FakeStreams(FakeState state, FakeContainers containers) {
    this.state = state;
    this.containers = containers;
  }

  /** Makes a container write a line, as if its process had printed it. */
  void write(String idOrName, LogStream.Source source, String text) {
    synchronized (state.lock) {
      FakeContainer c = state.require(idOrName);
      c.output.add(new LogStream.Line(source, state.clock.now().toString(), text));
      state.lock.notifyAll();
    }
  }

  /**
   * What the container wrote; with {@code follow}, waits for more until it exits, is removed or the
   * stream is closed. {@code since} and {@code until} are not modelled.
   */
  LogStream logs(String id, LogStream.Options options) {
    Objects.requireNonNull(options, "options");
    final FakeContainer c;
    final int start;
    synchronized (state.lock) {
      c = state.require(id);
      start = options.tail() == null ? 0 : Math.max(0, c.output.size() - options.tail());
    }
    return new LogStream() {
      private int next = start;
      private boolean closed;

      @Override
      public @Nullable Line next() {
        synchronized (state.lock) {
          while (true) {
            if (closed) {
              return null;
            }
            if (next < c.output.size()) {
              Line l = c.output.get(next++);
              return options.timestamps() ? l : new Line(l.source(), null, l.text());
            }
            boolean gone = state.containers.get(c.id) != c;
            if (!options.follow() || gone || c.state != State.RUNNING) {
              return null;
            }
            try {
              state.lock.wait();
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              return null;
            }
          }
        }
      }

      @Override
      public void close() {
        synchronized (state.lock) {
          closed = true;
          state.lock.notifyAll();
        }
      }
    };
  }

  /** Starts the container and copies what it writes until it exits; returns its exit code. */
  int startAttached(String id, Stdio stdio) {
    containers.start(id);
    return copyUntilExit(id, stdio, null);
  }

  /** Copies what the running container writes from now on until it exits; its exit code. */
  int attach(String id, Stdio stdio) {
    synchronized (state.lock) {
      FakeContainer c = state.require(id);
      if (c.state != io.jstack.engine.ContainerInfo.State.RUNNING) {
        throw new EngineException.Conflict(
            "container " + c.name + " does not run: start it first, then attach");
      }
    }
    return copyUntilExit(id, stdio, 0);
  }

  private int copyUntilExit(String id, Stdio stdio, @Nullable Integer tail) {
    try (LogStream log = logs(id, new LogStream.Options(true, tail, null, null, false))) {
      for (LogStream.Line l = log.next(); l != null; l = log.next()) {
        OutputStream to = l.source() == LogStream.Source.STDERR ? stdio.err() : stdio.out();
        to.write((l.text() + "\n").getBytes(StandardCharsets.UTF_8));
        to.flush();
      }
    } catch (IOException e) {
      throw new EngineException("container output could not be written: " + e.getMessage(), e);
    }
    return containers.await(id);
  }

  /** Events recorded from now on whose attributes carry every label of {@code labels}. */
  EventStream events(Map<String, String> labels) {
    int start;
    synchronized (state.lock) {
      start = state.events.size();
    }
    return new EventStream() {
      private int next = start;
      private boolean closed;

      @Override
      public @Nullable Event next() {
        synchronized (state.lock) {
          while (!closed) {
            while (next < state.events.size()) {
              Event e = state.events.get(next++);
              if (FakeState.matches(e.attributes(), labels)) {
                return e;
              }
            }
            try {
              state.lock.wait();
            } catch (InterruptedException ex) {
              Thread.currentThread().interrupt();
              return null;
            }
          }
          return null;
        }
      }

      @Override
      public void close() {
        synchronized (state.lock) {
          closed = true;
          state.lock.notifyAll();
        }
      }
    };
  }
}
