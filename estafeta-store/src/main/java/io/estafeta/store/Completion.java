package io.estafeta.store;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.FailureReason;
import java.time.Instant;

/**
 * The end of one attempt: the attempt to record and the delivery's next state, written together.
 *
 * @param attempt the attempt to record, {@code null} for a deferral
 * @param nextAttemptAt when the delivery is due again, {@code null} unless pending
 */
public record Completion(
    Claimed claimed,
    AttemptRow attempt,
    DeliveryStatus status,
    FailureReason reason,
    Instant nextAttemptAt,
    String lastError,
    Instant now) {
  public Completion {
    // The queue keeps a delivery exactly while it has a next attempt: the two must agree.
    if ((status == DeliveryStatus.PENDING) != (nextAttemptAt != null)) {
      throw new IllegalArgumentException(
          "nextAttemptAt is required for a pending delivery and only for one: " + status);
    }
  }

  public int claimedVersion() {
    return claimed.version();
  }

  /**
   * A claim given back unattempted (its destination was busy): due again at {@code dueAt}, with no
   * attempt recorded and its retry budget untouched.
   */
  public static Completion deferred(Claimed claimed, Instant dueAt, Instant now) {
    return new Completion(claimed, null, DeliveryStatus.PENDING, null, dueAt, null, now);
  }

  public boolean isDeferral() {
    return attempt == null;
  }
}
