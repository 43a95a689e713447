package io.estafeta.delivery.dispatch;

import io.estafeta.store.Claimed;
import io.estafeta.store.Lease;
import java.util.List;
import java.util.Optional;

/**
 * Where publishing puts the deliveries it stores. While the node's dispatcher has room and the
 * queue holds nothing due, new deliveries are stored already leased to this node and attempted at
 * once: no claim to write, no wait for the dispatcher's next look. Otherwise they queue.
 */
public interface HandOff {
  /**
   * Room for {@code count} attempts of the account's, reserved now, and the lease to store the
   * deliveries under; empty when they should queue. What is reserved is then either {@link #take
   * taken} or {@link #cancel cancelled}.
   */
  Optional<Lease> reserve(String accountId, int count);

  /**
   * Attempts deliveries stored under a lease from {@link #reserve}, with the room reserved then.
   */
  void take(List<Claimed> claimed);

  /** Gives back room reserved and not taken (the events were repeats, or storing failed). */
  void cancel(String accountId, int count);

  /** Something was queued: look for due work now rather than at the next poll. */
  void wake();
}
