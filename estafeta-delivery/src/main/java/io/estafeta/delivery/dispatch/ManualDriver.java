package io.estafeta.delivery.dispatch;

import java.time.Duration;

/**
 * Drives the dispatcher's own steps by hand, for tests that move the clock instead of sleeping:
 * each call claims what is due at the clock's now, as the loop would, and waits until every attempt
 * it started has been recorded.
 */
public final class ManualDriver {
  private final ClaimTurn turn;
  private final InFlight inFlight;
  private final Duration patience;

  ManualDriver(ClaimTurn turn, InFlight inFlight, Duration patience) {
    this.turn = turn;
    this.inFlight = inFlight;
    this.patience = patience;
  }

  /**
   * Claims and attempts everything due now, turn after turn until a turn finds nothing more, and
   * returns how many deliveries it claimed (put-backs included).
   */
  public int runDue() {
    int total = 0;
    try {
      while (true) {
        ClaimTurn.Result result = turn.take();
        total += result.claimed();
        // Whatever the loop would wait for (room, an account near its cap, the next due time),
        // here the attempts just started end and are recorded first.
        recorded();
        if (result.claimed() == 0 && result.waitFor() == ClaimTurn.Wait.DUE) {
          return total;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return total;
    }
  }

  /** One turn and its attempts recorded: what a single look at the queue does. */
  public int runOnce() {
    try {
      return turn().claimed();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 0;
    }
  }

  /** One turn, its attempts recorded, and what the loop would have waited for after it. */
  ClaimTurn.Result turn() throws InterruptedException {
    ClaimTurn.Result result = turn.take();
    recorded();
    return result;
  }

  private void recorded() throws InterruptedException {
    if (!inFlight.awaitAllBack(patience)) {
      throw new IllegalStateException("attempts still under way after " + patience);
    }
  }
}
