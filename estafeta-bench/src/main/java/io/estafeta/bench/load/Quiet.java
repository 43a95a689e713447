package io.estafeta.bench.load;

import java.time.Duration;

/**
 * The bench shares the machine: before each scenario it waits (bounded) until the other processes
 * leave the CPU nearly idle, and says how busy the machine was when it started anyway.
 */
final class Quiet {
  static final double THRESHOLD_CORES = 0.3;

  private Quiet() {}

  /** Waits up to {@code max} for a quiet machine; the cores in use when it stopped waiting. */
  static double await(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    boolean told = false;
    while (true) {
      double busy = busyCores(Duration.ofSeconds(2));
      if (busy < THRESHOLD_CORES || System.nanoTime() > deadline) {
        if (busy >= THRESHOLD_CORES) {
          System.err.printf(
              "bench: the machine is still busy (%.2f cores used by others); measuring anyway%n",
              busy);
        }
        return busy;
      }
      if (!told) {
        System.err.printf(
            "bench: the machine is busy (%.2f cores used by others); waiting up to %d s%n",
            busy, max.toSeconds());
        told = true;
      }
      Thread.sleep(3000);
    }
  }

  private static double busyCores(Duration over) throws InterruptedException {
    Proc.Machine before = Proc.Machine.now();
    long t0 = System.nanoTime();
    Thread.sleep(over);
    Proc.Machine d = Proc.Machine.now().minus(before);
    return d.busy() / ((System.nanoTime() - t0) / 1e9);
  }
}
