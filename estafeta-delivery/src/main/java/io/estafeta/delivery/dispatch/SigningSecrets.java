package io.estafeta.delivery.dispatch;

import java.util.List;
import java.util.Optional;

/** The signing secrets of a webhook, looked up when an attempt is signed. */
@FunctionalInterface
public interface SigningSecrets {
  /** The webhook's secrets, or empty when the webhook no longer exists. */
  Optional<List<String>> of(String accountId, String webhookId);
}
