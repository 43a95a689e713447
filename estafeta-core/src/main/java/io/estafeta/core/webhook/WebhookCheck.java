package io.estafeta.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.catalog.EventType;
import io.estafeta.template.CompiledTemplate;
import io.estafeta.template.ParseProblem;
import io.estafeta.template.RenderContext;
import io.estafeta.template.RenderException;
import io.estafeta.template.RenderedCheck;
import io.estafeta.template.TemplateEngine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The save-time check of a webhook (contract §5): every template compiles, renders against the
 * sample of every subscribed event type, and the result parses in its format. Variables no
 * subscribed event's schema defines come back as warnings.
 */
public final class WebhookCheck {
  private final TemplateEngine engine;
  private final EventCatalog catalog;

  public WebhookCheck(TemplateEngine engine, EventCatalog catalog) {
    this.engine = engine;
    this.catalog = catalog;
  }

  /** The outcome: a template ready to render with its warnings, or the errors by field. */
  public sealed interface Outcome permits Passed, Failed {}

  public record Passed(RequestTemplate template, List<String> warnings) implements Outcome {}

  public record Failed(List<FieldError> errors) implements Outcome {}

  public Outcome check(WebhookDefinition d) {
    RequestTemplate template;
    switch (RequestTemplate.compile(engine, d)) {
      case RequestTemplate.Broken(var errors) -> {
        return new Failed(errors);
      }
      case RequestTemplate.Ready(var t) -> template = t;
    }
    List<FieldError> errors = new ArrayList<>();
    for (String type : d.events()) {
      EventType et = catalog.find(type).orElseThrow();
      RenderContext ctx = sampleContext(et);
      for (Map.Entry<String, CompiledTemplate> f : template.templatesByField().entrySet()) {
        if (errors.stream().anyMatch(e -> e.field().equals(f.getKey()))) {
          continue;
        }
        try {
          String rendered = f.getValue().render(ctx);
          Optional<ParseProblem> p = RenderedCheck.check(f.getValue().target(), rendered);
          p.ifPresent(problem ->
              errors.add(
                  new FieldError(
                      f.getKey(),
                      "rendered with the sample of "
                          + type
                          + ", it does not parse: "
                          + RequestTemplate.at(problem.line(), problem.column())
                          + problem.message())));
        } catch (RenderException e) {
          errors.add(
              new FieldError(
                  f.getKey(),
                  "rendering with the sample of " + type + " failed: " + e.getMessage()));
        }
      }
    }
    if (!errors.isEmpty()) {
      return new Failed(errors);
    }
    return new Passed(template, warnings(template, d.events()));
  }

  /** The warnings of a template whose events are {@code events}. */
  public List<String> warnings(RequestTemplate template, List<String> events) {
    List<String> warnings = new ArrayList<>();
    for (Map.Entry<String, Set<String>> f : template.variablesByField().entrySet()) {
      Set<String> unknown = new TreeSet<>();
      for (String v : f.getValue()) {
        boolean defined =
            events.stream()
                .map(catalog::find)
                .flatMap(Optional::stream)
                .anyMatch(t -> defines(t.schema(), v));
        if (!defined) {
          unknown.add(v);
        }
      }
      for (String v : unknown) {
        warnings.add(
            f.getKey()
                + ": {{"
                + v
                + "}} is not defined by any subscribed event type; it renders"
                + " empty unless the event carries it");
      }
    }
    return warnings;
  }

  /** A render context of an event type's sample, as previews and checks use. */
  public static RenderContext sampleContext(EventType type) {
    return context(EventData.of(type.sample()), "evt_sample", type.type(), "2026-01-01T00:00:00Z");
  }

  /** A render context over event data. */
  @SuppressWarnings("unchecked")
  public static RenderContext context(
      Map<?, ?> data, String eventId, String type, String occurredAt) {
    return new RenderContext(
        (Map<String, Object>) data,
        Map.of("id", eventId, "type", type, "occurredAt", occurredAt),
        Map.of("id", "acc_sample", "name", "Sample account"),
        Map.of("id", "dlv_sample"));
  }

  /** Whether a schema names the path: {@code a.b[].c}. Open parts of a schema define anything. */
  static boolean defines(JsonNode schema, String path) {
    JsonNode node = schema;
    for (String part : path.split("\\.")) {
      boolean item = part.endsWith("[]");
      String name = item ? part.substring(0, part.length() - 2) : part;
      if (!name.isEmpty()) {
        JsonNode props = node.get("properties");
        if (props == null) {
          return true;
        }
        node = props.get(name);
        if (node == null) {
          return false;
        }
      }
      if (item) {
        JsonNode items = node.get("items");
        if (items == null) {
          return true;
        }
        node = items;
      }
    }
    return true;
  }
}
