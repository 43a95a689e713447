package io.estafeta.store;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.FailureReason;
import java.time.Instant;

/**
 * The end of one attempt: the attempt to record and the delivery's next state, written together.
 *
 * @param claimedVersion the version the claim left; the write only lands if it still holds
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
  public int claimedVersion() {
    return claimed.version();
  }
}
