package io.estafeta.bench.load;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * What the receiver counts, shared by its HTTP implementations: requests, answers, concurrency, the
 * arrivals per second, and the latency of each delivery's first attempt, from the publish time the
 * request carries in {@value #PUBLISHED_HEADER} (epoch microseconds) to its arrival.
 */
final class Recorder {
  static final String PUBLISHED_HEADER = "x-published-at";
  static final String ID_HEADER = "webhook-id";
  private static final int MAX_SAMPLES = 4_000_000;
  private static final int SECONDS = 3600;
  private static final ObjectMapper JSON = new ObjectMapper();

  /** How to answer: the fraction answered 500, and the delay before answering. */
  record Behaviour(double failFraction, long delayMs) {}

  private volatile Behaviour behaviour = new Behaviour(0, 0);
  private volatile long resetMicros = Clocks.nowMicros();
  private final AtomicLong requests = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong lastOkMicros = new AtomicLong();
  private final AtomicLong firstMicros = new AtomicLong(Long.MAX_VALUE);
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  // TCP connections the server opened to us: a pool that reuses its connections opens few.
  private final AtomicLong connections = new AtomicLong();
  private final AtomicLongArray perSecond = new AtomicLongArray(SECONDS);
  private final int[] latencyMicros = new int[MAX_SAMPLES];
  private final AtomicInteger samples = new AtomicInteger();
  // Attempts seen per delivery id, kept only while failures are asked for: they decide which
  // arrival is a first attempt, and cap the failures of one delivery so every delivery ends well.
  private final Map<String, Integer> attemptsById = new ConcurrentHashMap<>();

  synchronized void reset(Behaviour b) {
    behaviour = b;
    requests.set(0);
    ok.set(0);
    failed.set(0);
    lastOkMicros.set(0);
    firstMicros.set(Long.MAX_VALUE);
    maxInFlight.set(inFlight.get());
    connections.set(0);
    for (int i = 0; i < SECONDS; i++) {
      perSecond.set(i, 0);
    }
    samples.set(0);
    attemptsById.clear();
    resetMicros = Clocks.nowMicros();
  }

  Behaviour behaviour() {
    return behaviour;
  }

  /**
   * Records the arrival of a request and decides its status. A 2xx counts as delivered at its
   * arrival.
   *
   * @param published the {@value #PUBLISHED_HEADER} header, or null
   * @param id the {@value #ID_HEADER} header, or null
   */
  int arrived(String published, String id) {
    long now = Clocks.nowMicros();
    requests.incrementAndGet();
    firstMicros.accumulateAndGet(now, Math::min);
    int second = (int) ((now - resetMicros) / 1_000_000);
    if (second >= 0 && second < SECONDS) {
      perSecond.incrementAndGet(second);
    }
    Behaviour b = behaviour;
    boolean first = true;
    int status = 200;
    if (b.failFraction() > 0 && id != null) {
      int before = attemptsById.merge(id, 1, Integer::sum) - 1;
      first = before == 0;
      // At most three failed answers per delivery: with the default of 3 retries, every delivery
      // succeeds in the end and the run has a clear end.
      if (before < 3 && ThreadLocalRandom.current().nextDouble() < b.failFraction()) {
        status = 500;
      }
    }
    if (status < 300) {
      ok.incrementAndGet();
      lastOkMicros.accumulateAndGet(now, Math::max);
    } else {
      failed.incrementAndGet();
    }
    if (first && published != null) {
      try {
        long latency = now - Long.parseLong(published.strip());
        int i = samples.getAndIncrement();
        if (i < MAX_SAMPLES) {
          latencyMicros[i] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, latency));
        }
      } catch (NumberFormatException e) {
        // Not a bench request: no latency.
      }
    }
    return status;
  }

  void started() {
    int now = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(now, Math::max);
  }

  void connected() {
    connections.incrementAndGet();
  }

  /** The answer is out. */
  void answered() {
    inFlight.decrementAndGet();
  }

  long ok() {
    return ok.get();
  }

  String statsJson() {
    ObjectNode o = JSON.createObjectNode();
    o.put("requests", requests.get());
    o.put("ok", ok.get());
    o.put("failed", failed.get());
    o.put("resetMicros", resetMicros);
    o.put("firstMicros", firstMicros.get() == Long.MAX_VALUE ? 0 : firstMicros.get());
    o.put("lastOkMicros", lastOkMicros.get());
    o.put("inFlight", inFlight.get());
    o.put("maxInFlight", maxInFlight.get());
    o.put("connections", connections.get());
    int n = Math.min(samples.get(), MAX_SAMPLES);
    int[] sorted = Arrays.copyOf(latencyMicros, n);
    Arrays.sort(sorted);
    ObjectNode l = o.putObject("latencyMicros");
    l.put("count", n);
    l.put("p50", percentile(sorted, 0.50));
    l.put("p95", percentile(sorted, 0.95));
    l.put("p99", percentile(sorted, 0.99));
    l.put("max", n == 0 ? 0 : sorted[n - 1]);
    ArrayNode seconds = o.putArray("perSecond");
    int last = SECONDS - 1;
    while (last >= 0 && perSecond.get(last) == 0) {
      last--;
    }
    for (int i = 0; i <= last; i++) {
      seconds.add(perSecond.get(i));
    }
    return o.toString();
  }

  static long percentile(int[] sorted, double p) {
    if (sorted.length == 0) {
      return 0;
    }
    int i = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
  }
}
