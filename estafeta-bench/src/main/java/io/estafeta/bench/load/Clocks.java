package io.estafeta.bench.load;

import java.time.Instant;

/** Wall-clock time in microseconds: comparable across the bench's processes on one machine. */
public final class Clocks {
  private Clocks() {}

  public static long nowMicros() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
  }
}
