package io.estafeta.delivery.dispatch;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The claimed deliveries of each account whose attempt has not ended yet, and how many accounts are
 * at the mark where one more claim could take them past their cap: a claim's excess would only be
 * put back (a claim and a put-back written for nothing, and the account's order shuffled).
 */
final class AccountLoad {
  private final int mark;
  private final Runnable belowMark;
  private final ConcurrentHashMap<String, AtomicInteger> active = new ConcurrentHashMap<>();
  private final AtomicInteger atMark = new AtomicInteger();

  /**
   * @param perAccount the per-account cap
   * @param claimSize the most one claim takes
   * @param belowMark called when an account falls back below the mark
   */
  AccountLoad(int perAccount, int claimSize, Runnable belowMark) {
    this.mark = Math.max(1, perAccount - claimSize);
    this.belowMark = belowMark;
  }

  void claimed(String accountId) {
    added(counter(accountId).incrementAndGet(), 1);
  }

  /**
   * Counts {@code count} more of the account's deliveries under way if that keeps it at or below
   * the mark: a claim the dispatcher started meanwhile (it looked while the account was below) then
   * still cannot take it past its cap.
   */
  boolean tryAdd(String accountId, int count) {
    AtomicInteger active = counter(accountId);
    while (true) {
      int now = active.get();
      if (now + count > mark) {
        return false;
      }
      if (active.compareAndSet(now, now + count)) {
        added(now + count, count);
        return true;
      }
    }
  }

  void ended(String accountId) {
    ended(accountId, 1);
  }

  void ended(String accountId, int count) {
    int after = counter(accountId).addAndGet(-count);
    if (after < mark && after + count >= mark) {
      atMark.decrementAndGet();
      belowMark.run();
    }
  }

  private void added(int after, int count) {
    if (after >= mark && after - count < mark) {
      atMark.incrementAndGet();
    }
  }

  /** Whether some account has so much under way that the next claim could overshoot its cap. */
  boolean anyAtMark() {
    return atMark.get() > 0;
  }

  private AtomicInteger counter(String accountId) {
    // One counter per account for the life of the node, like the caps' semaphores.
    return active.computeIfAbsent(accountId, a -> new AtomicInteger());
  }
}
