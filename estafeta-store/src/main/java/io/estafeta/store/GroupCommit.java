package io.estafeta.store;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit: writes that arrive while a transaction commits wait for the next one and share it,
 * so many concurrent requests pay for one fsync between them. An idle system writes at once; a busy
 * one writes more per commit. Callers return only once their write is committed.
 *
 * @param <I> one caller's write
 * @param <O> its result
 */
final class GroupCommit<I, O> implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);

  private record Pending<I, O>(I item, CompletableFuture<O> done) {}

  private final Function<List<I>, List<O>> writeTogether;
  private final ToIntFunction<I> weight;
  private final int maxWeight;
  private final LinkedBlockingQueue<Pending<I, O>> queue = new LinkedBlockingQueue<>();
  private final Thread thread;
  private volatile boolean closed;

  /**
   * @param writeTogether writes all items in one transaction, answering one result per item
   * @param weight how much of a transaction an item takes (e.g. its rows)
   * @param maxWeight how much one transaction takes at most (one item always fits)
   */
  GroupCommit(
      String name,
      Function<List<I>, List<O>> writeTogether,
      ToIntFunction<I> weight,
      int maxWeight) {
    this.writeTogether = writeTogether;
    this.weight = weight;
    this.maxWeight = maxWeight;
    this.thread = Thread.ofPlatform().name(name).daemon().start(this::loop);
  }

  /** Stops after the writes already submitted. */
  @Override
  public void close() {
    closed = true;
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Writes {@code item} in the next transaction and returns once it is committed. */
  O submit(I item) {
    CompletableFuture<O> done = new CompletableFuture<>();
    queue.add(new Pending<>(item, done));
    try {
      return done.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for a commit", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void loop() {
    while (true) {
      List<Pending<I, O>> group = new ArrayList<>();
      try {
        Pending<I, O> first = queue.poll(100, TimeUnit.MILLISECONDS);
        if (first == null) {
          if (closed) {
            return;
          }
          continue;
        }
        group.add(first);
      } catch (InterruptedException e) {
        return;
      }
      int total = weight.applyAsInt(group.getFirst().item());
      Pending<I, O> next;
      while (total < maxWeight && (next = queue.peek()) != null) {
        int w = weight.applyAsInt(next.item());
        if (total + w > maxWeight) {
          break;
        }
        group.add(queue.poll());
        total += w;
      }
      write(group);
    }
  }

  private void write(List<Pending<I, O>> group) {
    try {
      List<O> results = writeTogether.apply(group.stream().map(Pending::item).toList());
      for (int i = 0; i < group.size(); i++) {
        group.get(i).done().complete(results.get(i));
      }
    } catch (RuntimeException e) {
      if (group.size() == 1) {
        group.getFirst().done().completeExceptionally(e);
        return;
      }
      // One write must not fail the others it happened to share a transaction with.
      LOG.debug("a group of {} writes failed; writing them one by one", group.size(), e);
      for (Pending<I, O> p : group) {
        write(List.of(p));
      }
    }
  }
}
