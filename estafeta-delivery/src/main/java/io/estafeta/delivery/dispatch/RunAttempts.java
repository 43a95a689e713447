package io.estafeta.delivery.dispatch;

import io.estafeta.store.Claimed;
import io.estafeta.store.Completion;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs each claimed delivery's attempt on a virtual thread of its own, outside any transaction, and
 * hands its outcome to the writer. The delivery's in-flight permit is held until then.
 */
final class RunAttempts implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RunAttempts.class);

  private final ExecuteClaimed execute;
  private final AccountLoad load;
  private final InFlight inFlight;
  private final OutcomeWriter writer;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

  RunAttempts(ExecuteClaimed execute, AccountLoad load, InFlight inFlight, OutcomeWriter writer) {
    this.execute = execute;
    this.load = load;
    this.inFlight = inFlight;
    this.writer = writer;
  }

  void launch(Claimed c) {
    try {
      threads.execute(() -> attempt(c));
    } catch (RejectedExecutionException e) {
      // Closed meanwhile: the lease runs out and the delivery is due again.
      load.ended(c.accountId());
      inFlight.release(c);
    }
  }

  private void attempt(Claimed c) {
    boolean recording = false;
    try {
      Optional<Completion> done;
      try {
        done = execute.execute(c);
      } finally {
        load.ended(c.accountId());
      }
      if (done.isPresent()) {
        writer.add(done.get());
        recording = true;
      }
    } catch (RuntimeException e) {
      LOG.error("attempt of delivery {} failed unexpectedly", c.id(), e);
    } finally {
      if (!recording) {
        inFlight.release(c);
      }
    }
  }

  @Override
  public void close() {
    threads.shutdownNow();
  }
}
