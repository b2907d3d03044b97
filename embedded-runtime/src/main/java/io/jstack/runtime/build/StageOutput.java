package io.jstack.runtime.build;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The progress lines of stages that build at the same time, shown one stage at a time so that each
 * step's {@code Step N/M}, {@code ---> Running in}, output and {@code ---> id} lines stay together:
 * the first unfinished stage in Dockerfile order (the one whose turn it is) streams as it goes; the
 * others' lines are held, and shown whole when their turn comes. The output reads as a serial
 * build's, with step numbers in order, while the stages run in parallel; a single-stage build
 * streams everything as it happens.
 */
final class StageOutput {
  private final Consumer<String> out;
  private final List<Integer> order;
  private final Map<Integer, List<String>> held = new HashMap<>();
  private final Set<Integer> done = new HashSet<>();
  private int turn;

  /** Output to {@code out} of the stages {@code order}, in Dockerfile order. */
  StageOutput(Consumer<String> out, List<Integer> order) {
    this.out = out;
    this.order = List.copyOf(order);
  }

  /** Where stage {@code stage} tells its progress. */
  Consumer<String> of(int stage) {
    return line -> accept(stage, line);
  }

  private synchronized void accept(int stage, String line) {
    if (turn < order.size() && order.get(turn) == stage) {
      out.accept(line);
    } else {
      held.computeIfAbsent(stage, s -> new ArrayList<>()).add(line);
    }
  }

  /** Stage {@code stage} has ended (built or failed): the next stages' held lines are shown. */
  synchronized void done(int stage) {
    done.add(stage);
    while (turn < order.size() && done.contains(order.get(turn))) {
      turn++;
      if (turn < order.size()) {
        show(order.get(turn));
      }
    }
  }

  /** Shows every line still held, in stage order (a build that failed or was cancelled). */
  synchronized void flush() {
    for (int i = turn; i < order.size(); i++) {
      show(order.get(i));
    }
  }

  private void show(int stage) {
    List<String> lines = held.remove(stage);
    if (lines != null) {
      lines.forEach(out);
    }
  }
}
