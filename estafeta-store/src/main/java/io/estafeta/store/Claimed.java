package io.estafeta.store;

/**
 * A delivery a worker has claimed: its lease is held until the version changes.
 *
 * @param attempts the attempts made so far
 * @param budgetStart the attempts made before the retry budget was last renewed
 * @param request the stored rendered request
 */
public record Claimed(
    String id,
    String accountId,
    String webhookId,
    String eventId,
    String eventType,
    int attempts,
    int budgetStart,
    int version,
    StoredRequest request) {}
