package io.estafeta.store;

import java.time.Instant;

/** An accepted event as stored; {@code data} is its JSON text. */
public record NewEvent(
    String accountId,
    String id,
    String type,
    Instant occurredAt,
    String data,
    Instant receivedAt) {}
