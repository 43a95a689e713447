package io.estafeta.core.webhook;

import java.time.Instant;
import java.util.List;

/**
 * A stored webhook: its definition, its owner and its signing secret ({@code whsec_…}).
 *
 * @param previousSecret the secret a rotation replaced, still signing until {@code previousUntil}
 *     ({@code null} when there is none)
 * @param disabledReason why Estafeta switched the webhook off ({@code null} unless it did)
 */
public record Webhook(
    String id,
    String accountId,
    WebhookDefinition definition,
    String signingSecret,
    Instant createdAt,
    Instant updatedAt,
    String previousSecret,
    Instant previousUntil,
    String disabledReason) {

  /** Why auto-disable switches a webhook off. */
  public static final String FAILING = "failing";

  public Webhook(
      String id,
      String accountId,
      WebhookDefinition definition,
      String signingSecret,
      Instant createdAt,
      Instant updatedAt) {
    this(id, accountId, definition, signingSecret, createdAt, updatedAt, null, null, null);
  }

  /**
   * The secrets that sign a request sent at {@code now}: the current one, and during a rotation's
   * grace period the previous one too (Standard Webhooks: receivers accept either).
   */
  public List<String> signingSecrets(Instant now) {
    return previousSecret != null && previousUntil != null && now.isBefore(previousUntil)
        ? List.of(signingSecret, previousSecret)
        : List.of(signingSecret);
  }
}
