package io.estafeta.store;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.FailureReason;
import java.time.Instant;

/** A delivery as the deliveries API shows it. */
public record DeliveryRow(
    String id,
    String accountId,
    String webhookId,
    String eventId,
    String eventType,
    DeliveryStatus status,
    FailureReason reason,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    Instant createdAt,
    Instant updatedAt) {}
