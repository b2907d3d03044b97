package io.jstack.runtime.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class StageSchedulerTest {
  private final List<String> printed = Collections.synchronizedList(new ArrayList<>());

  private static Map<Integer, Set<Integer>> graph(Object... stageAndReads) {
    Map<Integer, Set<Integer>> g = new LinkedHashMap<>();
    for (int i = 0; i < stageAndReads.length; i += 2) {
      @SuppressWarnings("unchecked")
      Set<Integer> reads = (Set<Integer>) stageAndReads[i + 1];
      g.put((Integer) stageAndReads[i], reads);
    }
    return g;
  }

  @Test
  void independentStages_runAtTheSameTime_aStageWaitsForWhatItReads() {
    // 0 and 1 are independent; 2 reads both. Each of 0 and 1 waits until the other has started,
    // which only a parallel run gets past.
    CountDownLatch bothStarted = new CountDownLatch(2);
    List<Integer> order = Collections.synchronizedList(new ArrayList<>());
    new StageScheduler(graph(0, Set.of(), 1, Set.of(), 2, Set.of(0, 1)), printed::add)
        .run(
            (stage, out) -> {
              if (stage < 2) {
                bothStarted.countDown();
                try {
                  assertThat(bothStarted.await(5, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
              }
              order.add(stage);
            },
            () -> {});

    assertThat(order).hasSize(3).endsWith(2);
  }

  @Test
  void outputOfAStageWhoseTurnHasNotCome_isHeldAndShownWhole_inStageOrder() {
    CountDownLatch oneDone = new CountDownLatch(1);
    new StageScheduler(graph(0, Set.of(), 1, Set.of()), printed::add)
        .run(
            (stage, out) -> {
              if (stage == 0) {
                try {
                  // Stage 1 prints all its lines first; they wait for stage 0's turn to end.
                  assertThat(oneDone.await(5, TimeUnit.SECONDS)).isTrue();
                } catch (InterruptedException e) {
                  throw new IllegalStateException(e);
                }
                out.accept("Step 1/4 : FROM a\n");
                out.accept("Step 2/4 : RUN a\n");
              } else {
                out.accept("Step 3/4 : FROM b\n");
                out.accept("Step 4/4 : RUN b\n");
                oneDone.countDown();
              }
            },
            () -> {});

    assertThat(printed)
        .containsExactly(
            "Step 1/4 : FROM a\n",
            "Step 2/4 : RUN a\n",
            "Step 3/4 : FROM b\n",
            "Step 4/4 : RUN b\n");
  }

  @Test
  void aFailure_cancelsTheOthers_waitsForThem_andIsThrown_withEveryLineShown() {
    AtomicBoolean cancelled = new AtomicBoolean();
    AtomicInteger cancels = new AtomicInteger();
    AtomicBoolean otherEnded = new AtomicBoolean();
    AtomicBoolean dependentRan = new AtomicBoolean();
    assertThatThrownBy(
            () ->
                new StageScheduler(graph(0, Set.of(), 1, Set.of(), 2, Set.of(0, 1)), printed::add)
                    .run(
                        (stage, out) -> {
                          if (stage == 2) {
                            dependentRan.set(true);
                          } else if (stage == 1) {
                            out.accept("Step 3/5 : RUN false\n");
                            throw DockerfileException.at(3, "RUN false exited 1", "fix it");
                          } else {
                            out.accept("Step 1/5 : RUN sleep\n");
                            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                            while (!cancelled.get() && System.nanoTime() < until) {
                              Thread.onSpinWait();
                            }
                            otherEnded.set(true);
                          }
                        },
                        () -> {
                          cancels.incrementAndGet();
                          cancelled.set(true);
                        }))
        .isInstanceOf(DockerfileException.class)
        .hasMessage("Dockerfile:3: RUN false exited 1; fix it");

    assertThat(cancels).hasValue(1);
    assertThat(otherEnded).isTrue();
    assertThat(dependentRan).isFalse();
    assertThat(printed).containsExactly("Step 1/5 : RUN sleep\n", "Step 3/5 : RUN false\n");
  }

  @Test
  void aSingleStage_streamsItsLinesAsTheyCome() {
    List<Integer> seenWhileRunning = new ArrayList<>();
    new StageScheduler(graph(0, Set.of()), printed::add)
        .run(
            (stage, out) -> {
              out.accept("Step 1/2 : FROM a\n");
              seenWhileRunning.add(printed.size());
              out.accept("Step 2/2 : RUN a\n");
              seenWhileRunning.add(printed.size());
            },
            () -> {});

    assertThat(seenWhileRunning).containsExactly(1, 2);
  }
}
