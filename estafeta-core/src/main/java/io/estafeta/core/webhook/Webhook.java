package io.estafeta.core.webhook;

import java.time.Instant;

/** A stored webhook: its definition, its owner and its signing secret ({@code whsec_…}). */
public record Webhook(
    String id,
    String accountId,
    WebhookDefinition definition,
    String signingSecret,
    Instant createdAt,
    Instant updatedAt) {}
