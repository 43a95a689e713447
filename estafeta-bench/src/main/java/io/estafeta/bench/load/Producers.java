package io.estafeta.bench.load;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes events through the public API: as fast as a few producer threads can (closed loop), or
 * at a fixed rate whatever the answers take (open loop). Every event carries its own id and its
 * publish time, stamped just before its request is sent. Bounded by the number of events.
 */
public final class Producers {
  private Producers() {}

  /**
   * What a publish run came to.
   *
   * @param accepted events answered 202 (or 200)
   * @param errors requests answered otherwise, or not at all
   * @param answerMicros each request's time from its events' publish stamp to its answer (0 for one
   *     not sent)
   */
  public record Published(
      long startMicros,
      long endMicros,
      long accepted,
      long requests,
      long errors,
      long[] answerMicros) {
    public double seconds() {
      return (endMicros - startMicros) / 1e6;
    }

    /**
     * The {@code q} quantile (0..1) of the requests' publish → answer times in ms: how long the
     * server took to accept, beside how long its deliveries took to arrive.
     */
    public double answerQuantileMs(double q) {
      long[] sorted = java.util.Arrays.stream(answerMicros).filter(v -> v > 0).sorted().toArray();
      if (sorted.length == 0) {
        return 0;
      }
      int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
      return sorted[Math.max(0, i)] / 1000.0;
    }
  }

  /**
   * Publishes {@code events} events in requests of {@code batch} ({@code 1}: the single-event
   * endpoint), from {@code threads} producer threads; request {@code r} goes with {@code keys[r %
   * keys.size()]}.
   */
  public static Published closedLoop(
      Api api, List<String> keys, String tag, long events, int batch, int threads)
      throws InterruptedException {
    long requests = (events + batch - 1) / batch;
    AtomicLong next = new AtomicLong();
    AtomicLong accepted = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong end = new AtomicLong();
    long[] answers = new long[(int) requests];
    long start = Clocks.nowMicros();
    List<Thread> producers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      producers.add(
          Thread.ofPlatform()
              .name("producer-" + t)
              .start(() -> {
                long r;
                while ((r = next.getAndIncrement()) < requests) {
                  long first = r * batch;
                  int n = (int) Math.min(batch, events - first);
                  if (send(
                      api,
                      keys.get((int) (r % keys.size())),
                      tag,
                      first,
                      n,
                      batch == 1,
                      answers,
                      (int) r)) {
                    accepted.addAndGet(n);
                  } else {
                    errors.incrementAndGet();
                  }
                  end.accumulateAndGet(Clocks.nowMicros(), Math::max);
                }
              }));
    }
    for (Thread t : producers) {
      t.join();
    }
    return new Published(start, end.get(), accepted.get(), requests, errors.get(), answers);
  }

  /**
   * Publishes {@code events} events at {@code rate} events per second in requests of {@code batch},
   * each request on its own virtual thread at its scheduled time; at most {@code maxOutstanding}
   * requests wait for their answers at once (a request that finds none free waits, and the
   * shortfall shows in the achieved rate).
   */
  public static Published paced(
      Api api, String key, String tag, long events, int batch, double rate, int maxOutstanding)
      throws InterruptedException {
    long requests = (events + batch - 1) / batch;
    double intervalNanos = batch * 1e9 / rate;
    Semaphore outstanding = new Semaphore(maxOutstanding);
    AtomicLong accepted = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    AtomicLong end = new AtomicLong();
    long[] answers = new long[(int) requests];
    long start = Clocks.nowMicros();
    long t0 = System.nanoTime();
    List<Thread> sent = new ArrayList<>();
    for (long r = 0; r < requests; r++) {
      long due = t0 + (long) (r * intervalNanos);
      long wait;
      while ((wait = due - System.nanoTime()) > 0) {
        LockSupport.parkNanos(wait);
      }
      outstanding.acquire();
      long first = r * batch;
      int n = (int) Math.min(batch, events - first);
      int index = (int) r;
      sent.add(
          Thread.ofVirtual()
              .start(() -> {
                try {
                  if (send(api, key, tag, first, n, batch == 1, answers, index)) {
                    accepted.addAndGet(n);
                  } else {
                    errors.incrementAndGet();
                  }
                  end.accumulateAndGet(Clocks.nowMicros(), Math::max);
                } finally {
                  outstanding.release();
                }
              }));
    }
    for (Thread t : sent) {
      t.join(TimeUnit.SECONDS.toMillis(120));
    }
    return new Published(start, end.get(), accepted.get(), requests, errors.get(), answers);
  }

  private static boolean send(
      Api api,
      String key,
      String tag,
      long first,
      int n,
      boolean single,
      long[] answers,
      int index) {
    StringBuilder body = new StringBuilder(n * 1200 + 16);
    long now = Clocks.nowMicros();
    if (single) {
      Events.event(body, tag + first, first, now);
    } else {
      body.append("{\"events\":[");
      for (int i = 0; i < n; i++) {
        if (i > 0) {
          body.append(',');
        }
        Events.event(body, tag + (first + i), first + i, now);
      }
      body.append("]}");
    }
    try {
      Api.Answer a = api.post(single ? "/api/v1/events" : "/api/v1/events/batch", key, body + "");
      answers[index] = Math.max(1, Clocks.nowMicros() - now);
      if (a.status() == 202 || a.status() == 200) {
        return true;
      }
      System.err.println("bench: publish answered " + a.status() + ": " + clip(a.body()));
      return false;
    } catch (IOException e) {
      System.err.println("bench: publish failed: " + e.getMessage());
      return false;
    }
  }

  private static String clip(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "…" : s;
  }
}
