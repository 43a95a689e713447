package io.estafeta.core.webhook;

import java.time.Duration;
import java.util.List;

/**
 * What an account designs: which events trigger the webhook and the request it sends.
 *
 * @param body {@code null} when the request has no body
 */
public record WebhookDefinition(
    String name,
    List<String> events,
    HttpMethod method,
    String url,
    List<HeaderSpec> headers,
    BodySpec body,
    boolean enabled,
    Duration timeout) {

  public WebhookDefinition {
    events = List.copyOf(events);
    headers = List.copyOf(headers);
  }

  public boolean subscribesTo(String eventType) {
    return events.contains(eventType);
  }

  /** The definition as answers show it: secret header values hidden. */
  public WebhookDefinition masked() {
    return new WebhookDefinition(
        name,
        events,
        method,
        url,
        headers.stream().map(HeaderSpec::masked).toList(),
        body,
        enabled,
        timeout);
  }
}
