package io.estafeta.server.api;

import io.estafeta.core.webhook.WebhookDefinition;
import java.util.List;

/**
 * The template checks of a webhook: compile, render against samples, parse. Until the template
 * engine is wired in, nothing to check.
 */
class WebhookChecks {
  /** Checks a definition about to be saved: its warnings, or 422. */
  List<String> check(WebhookDefinition d) {
    return warnings(d);
  }

  /** Warnings of a saved definition. */
  List<String> warnings(WebhookDefinition d) {
    return List.of();
  }
}
