package io.estafeta.delivery.dispatch;

import io.estafeta.core.webhook.Webhook;
import java.util.Optional;

/**
 * The webhook of a claimed delivery, read when its attempt is sent: for its signing secrets and its
 * secret header values, so a secret changed after the event (an expired token replaced) is the one
 * retries send.
 */
@FunctionalInterface
public interface WebhookLookup {
  /** The webhook, or empty when it no longer exists. */
  Optional<Webhook> find(String accountId, String webhookId);
}
