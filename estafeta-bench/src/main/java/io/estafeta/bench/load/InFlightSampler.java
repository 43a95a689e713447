package io.estafeta.bench.load;

import java.io.IOException;

/**
 * Reads the server's {@code estafeta_in_flight} gauge from {@code GET /metrics} every 200 ms while
 * it runs, and keeps the highest: how many attempts the server itself had under way at once.
 */
final class InFlightSampler implements AutoCloseable {
  private static final String GAUGE = "estafeta_in_flight";

  private final Thread thread;
  private volatile boolean running = true;
  private volatile double peak = -1;

  InFlightSampler(Api api) {
    thread =
        Thread.ofPlatform()
            .daemon()
            .name("bench-in-flight")
            .start(() -> {
              while (running) {
                try {
                  String text = api.get("/metrics");
                  if (text != null) {
                    for (String line : text.split("\n")) {
                      if (line.startsWith(GAUGE + " ") || line.startsWith(GAUGE + "{")) {
                        double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                        peak = Math.max(peak, v);
                      }
                    }
                  }
                  Thread.sleep(200);
                } catch (IOException | RuntimeException e) {
                  // No metrics (or not yet): nothing to note.
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  /** The highest value seen, or -1 if the server has no such gauge. */
  double peak() {
    return peak;
  }

  @Override
  public void close() {
    running = false;
    thread.interrupt();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
