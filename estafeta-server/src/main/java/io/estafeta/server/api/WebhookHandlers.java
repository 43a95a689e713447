package io.estafeta.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.catalog.EventType;
import io.estafeta.core.delivery.RetryPolicy;
import io.estafeta.core.secret.Tokens;
import io.estafeta.core.webhook.EventData;
import io.estafeta.core.webhook.FieldError;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.RenderedRequest;
import io.estafeta.core.webhook.RequestTemplate;
import io.estafeta.core.webhook.Webhook;
import io.estafeta.core.webhook.WebhookCheck;
import io.estafeta.core.webhook.WebhookDefinition;
import io.estafeta.core.webhook.WebhookReader;
import io.estafeta.delivery.dispatch.Attempt;
import io.estafeta.delivery.dispatch.AttemptRunner;
import io.estafeta.delivery.ingest.TemplateCache;
import io.estafeta.store.DeliveryStore;
import io.estafeta.store.WebhookStore;
import io.estafeta.template.RenderContext;
import io.estafeta.template.RenderException;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/** An account's webhooks: create, list, get, replace, delete, preview and test-send. */
public final class WebhookHandlers {
  // A webhook holds templates of up to 64 KiB each; the whole definition stays well under this.
  static final int BODY_LIMIT = 512 * 1024;

  private final Auth auth;
  private final WebhookReader reader;
  private final WebhookCheck check;
  private final EventCatalog catalog;
  private final WebhookStore webhooks;
  private final DeliveryStore deliveries;
  private final TemplateCache templates;
  private final AttemptRunner runner;
  private final RetryPolicy policy;
  private final Clock clock;
  private final Duration rotationGrace;

  public WebhookHandlers(
      Auth auth,
      WebhookReader reader,
      WebhookCheck check,
      EventCatalog catalog,
      WebhookStore webhooks,
      DeliveryStore deliveries,
      TemplateCache templates,
      AttemptRunner runner,
      RetryPolicy policy,
      Clock clock,
      Duration rotationGrace) {
    this.rotationGrace = rotationGrace;
    this.auth = auth;
    this.reader = reader;
    this.check = check;
    this.catalog = catalog;
    this.webhooks = webhooks;
    this.deliveries = deliveries;
    this.templates = templates;
    this.runner = runner;
    this.policy = policy;
    this.clock = clock;
  }

  public void create(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    WebhookDefinition d = definition(Bodies.read(ctx, BODY_LIMIT), List.of());
    List<String> warnings = passed(d).warnings();
    Instant now = clock.instant();
    Webhook w = new Webhook(Tokens.id("wh"), accountId, d, Tokens.signingSecret(), now, now);
    webhooks.insert(w);
    ctx.status(201).json(Views.webhook(w, warnings));
  }

  public void list(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    ArrayNode items = Bodies.JSON.createArrayNode();
    for (Webhook w : webhooks.list(accountId)) {
      items.add(Views.webhook(w, warnings(w)));
    }
    ctx.json(Bodies.JSON.createObjectNode().set("items", items));
  }

  public void get(Context ctx) {
    Webhook w = find(ctx);
    ctx.json(Views.webhook(w, warnings(w)));
  }

  public void replace(Context ctx) {
    Webhook old = find(ctx);
    WebhookDefinition d = definition(Bodies.read(ctx, BODY_LIMIT), old.definition().headers());
    List<String> warnings = passed(d).warnings();
    Instant now = clock.instant();
    if (!webhooks.replace(old.accountId(), old.id(), d, now)) {
      throw new ApiException.NotFound("webhook");
    }
    Webhook w =
        new Webhook(old.id(), old.accountId(), d, old.signingSecret(), old.createdAt(), now);
    ctx.json(Views.webhook(w, warnings));
  }

  public void delete(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    String id = ctx.pathParam("id");
    if (!webhooks.delete(accountId, id)) {
      throw new ApiException.NotFound("webhook");
    }
    // What was still waiting to be sent is cancelled, not left to fail.
    deliveries.cancelPending(accountId, id, clock.instant());
    templates.forget(id);
    ctx.status(204);
  }

  /**
   * A new signing secret. The old one keeps signing beside it for the grace period, so receivers
   * can switch without dropping a request: both signatures travel in {@code webhook-signature}.
   */
  public void rotateSecret(Context ctx) {
    Webhook w = find(ctx);
    String secret = Tokens.signingSecret();
    Instant until = clock.instant().plus(rotationGrace);
    if (!webhooks.rotateSecret(w.accountId(), w.id(), secret, until)) {
      throw new ApiException.NotFound("webhook");
    }
    ctx.json(
        Bodies.JSON
            .createObjectNode()
            .put("signingSecret", secret)
            .put("previousSecretValidUntil", until.toString()));
  }

  /** The request a saved webhook would send for an event: nothing is sent. */
  public void preview(Context ctx) {
    Webhook w = find(ctx);
    JsonNode body = Bodies.objectOrEmpty(ctx, BODY_LIMIT);
    RequestTemplate template = templates.of(w).orElseThrow(() -> brokenTemplates());
    ctx.json(request(render(template, sample(body, w.definition())).masked()));
  }

  /** The request an unsaved draft would send: the portal's live preview. */
  public void previewDraft(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    JsonNode body = Bodies.object(ctx, BODY_LIMIT);
    ObjectNode draft = ((ObjectNode) body).deepCopy();
    draft.remove("type");
    draft.remove("data");
    List<HeaderSpec> previous = List.of();
    JsonNode id = body.get("id");
    if (id != null && id.isTextual()) {
      previous =
          webhooks
              .find(accountId, id.textValue())
              .map(w -> w.definition().headers())
              .orElse(previous);
    }
    WebhookDefinition d = definition(draft, previous);
    WebhookCheck.Passed passed = passed(d);
    ObjectNode answer = request(render(passed.template(), sample(body, d)).masked());
    ArrayNode warnings = answer.putArray("warnings");
    passed.warnings().forEach(warnings::add);
    ctx.json(answer);
  }

  /** Sends one request now, with sample data unless other data is given, and shows the attempt. */
  public void test(Context ctx) {
    Webhook w = find(ctx);
    JsonNode body = Bodies.objectOrEmpty(ctx, BODY_LIMIT);
    RequestTemplate template = templates.of(w).orElseThrow(() -> brokenTemplates());
    RenderedRequest request = render(template, sample(body, w.definition()));
    Attempt a = runner.run(Tokens.id("msg_test"), request, w.signingSecrets(clock.instant()));
    var decision = policy.decide(1, a.result(), a.startedAt().plusMillis(a.durationMs()));
    ObjectNode o =
        Bodies.JSON
            .createObjectNode()
            .put("number", 1)
            .put("startedAt", a.startedAt().toString())
            .put("durationMs", a.durationMs())
            .put("outcome", decision.outcome());
    o.put("error", a.error());
    // Shown as the deliveries log shows an attempt: with the body it sent.
    ObjectNode shown = (ObjectNode) Views.stored(a.request());
    shown.put("body", request.body());
    o.set("request", shown);
    o.set("response", Views.stored(a.response()));
    ctx.json(o);
  }

  /** The caller's webhook named in the path, or 404 (also for another account's). */
  private Webhook find(Context ctx) {
    String accountId = auth.requireAccount(ctx);
    return webhooks
        .find(accountId, ctx.pathParam("id"))
        .orElseThrow(() -> new ApiException.NotFound("webhook"));
  }

  private WebhookDefinition definition(JsonNode body, List<HeaderSpec> previousHeaders) {
    return switch (reader.read(body, previousHeaders)) {
      case WebhookReader.Read(var d) -> d;
      case WebhookReader.Refused(var errors) -> throw new ApiException.Invalid(errors);
    };
  }

  private WebhookCheck.Passed passed(WebhookDefinition d) {
    return switch (check.check(d)) {
      case WebhookCheck.Passed p -> p;
      case WebhookCheck.Failed(var errors) -> throw new ApiException.Invalid(errors);
    };
  }

  private List<String> warnings(Webhook w) {
    return templates
        .of(w)
        .map(t -> check.warnings(t, w.definition().events()))
        .orElse(List.of("the webhook's templates no longer compile; edit and save it again"));
  }

  /** The event a preview or test renders: the given type and data, or a subscribed sample. */
  private RenderContext sample(JsonNode body, WebhookDefinition d) {
    JsonNode type = body.get("type");
    EventType et;
    if (type == null || type.isNull()) {
      et = catalog.find(d.events().getFirst()).orElseThrow();
    } else if (!type.isTextual() || !catalog.contains(type.textValue())) {
      throw new ApiException.Invalid("type", "must be an event type");
    } else {
      et = catalog.find(type.textValue()).orElseThrow();
    }
    JsonNode data = body.get("data");
    if (data == null || data.isNull()) {
      return WebhookCheck.sampleContext(et);
    }
    if (!data.isObject()) {
      throw new ApiException.Invalid("data", "must be a JSON object");
    }
    return WebhookCheck.context(
        EventData.of(data), "evt_preview", et.type(), clock.instant().toString());
  }

  private static RenderedRequest render(RequestTemplate template, RenderContext ctx) {
    try {
      return template.render(ctx);
    } catch (RenderException e) {
      throw new ApiException.Invalid(
          "data", "the templates cannot render this event: " + e.getMessage());
    }
  }

  private static ObjectNode request(RenderedRequest r) {
    ObjectNode o = Bodies.JSON.createObjectNode();
    o.put("method", r.method().name());
    o.put("url", r.url());
    ArrayNode headers = o.putArray("headers");
    r.headers().forEach(h -> headers.addObject().put("name", h.name()).put("value", h.value()));
    o.put("body", r.body());
    return o;
  }

  private static ApiException brokenTemplates() {
    return new ApiException.Invalid(
        List.of(new FieldError("", "the webhook's templates no longer compile; save it again")));
  }
}
