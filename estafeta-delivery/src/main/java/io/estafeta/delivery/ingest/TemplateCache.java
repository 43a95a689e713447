package io.estafeta.delivery.ingest;

import io.estafeta.core.webhook.RequestTemplate;
import io.estafeta.core.webhook.Webhook;
import io.estafeta.template.TemplateEngine;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Compiled templates by webhook, so a fan-out compiles a webhook once per version rather than once
 * per event. An edit changes {@code updatedAt}, which retires the old entry.
 */
public final class TemplateCache {
  private record Entry(Instant version, RequestTemplate template) {}

  private final TemplateEngine engine;
  private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

  public TemplateCache(TemplateEngine engine) {
    this.engine = engine;
  }

  /** The webhook's compiled template; empty if it no longer compiles (an engine upgrade). */
  public Optional<RequestTemplate> of(Webhook w) {
    Entry e = entries.get(w.id());
    if (e != null && e.version().equals(w.updatedAt())) {
      return Optional.of(e.template());
    }
    return switch (RequestTemplate.compile(engine, w.definition())) {
      case RequestTemplate.Ready(var t) -> {
        entries.put(w.id(), new Entry(w.updatedAt(), t));
        yield Optional.of(t);
      }
      case RequestTemplate.Broken b -> Optional.empty();
    };
  }

  public void forget(String webhookId) {
    entries.remove(webhookId);
  }
}
