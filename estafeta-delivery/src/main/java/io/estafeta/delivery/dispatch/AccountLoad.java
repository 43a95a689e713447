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
    if (counter(accountId).incrementAndGet() == mark) {
      atMark.incrementAndGet();
    }
  }

  void ended(String accountId) {
    if (counter(accountId).decrementAndGet() == mark - 1) {
      atMark.decrementAndGet();
      belowMark.run();
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
