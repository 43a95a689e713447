package io.estafeta.server;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.delivery.RetryPolicy;
import io.estafeta.core.webhook.WebhookCheck;
import io.estafeta.core.webhook.WebhookReader;
import io.estafeta.delivery.dispatch.AttemptRunner;
import io.estafeta.delivery.ingest.Publisher;
import io.estafeta.delivery.ingest.TemplateCache;
import io.estafeta.server.api.AccountHandlers;
import io.estafeta.server.api.Auth;
import io.estafeta.server.api.CatalogHandlers;
import io.estafeta.server.api.DeliveryHandlers;
import io.estafeta.server.api.EventHandlers;
import io.estafeta.server.api.Route;
import io.estafeta.server.api.SystemHandlers;
import io.estafeta.server.api.WebhookHandlers;
import io.estafeta.server.api.WebhookStats;
import io.estafeta.server.portal.PortalHandlers;
import io.estafeta.store.AccountStore;
import io.estafeta.store.Database;
import io.estafeta.store.DeliveryStore;
import io.estafeta.store.WebhookStore;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;

/** Every route of the server, in one place: the API's and the portal's. */
public final class Routes {
  private Routes() {}

  /** What the handlers work with. */
  public record Services(
      Clock clock,
      Database db,
      Auth auth,
      EventCatalog catalog,
      AccountStore accounts,
      WebhookStore webhooks,
      DeliveryStore deliveries,
      WebhookReader webhookReader,
      WebhookCheck webhookCheck,
      TemplateCache templates,
      Publisher publisher,
      AttemptRunner runner,
      RetryPolicy policy,
      Runnable wakeDispatcher,
      PortalHandlers portal,
      PrometheusMeterRegistry metrics,
      BooleanSupplier queueFull,
      Duration rotationGrace) {}

  public static List<Route> all(Services s) {
    var system = new SystemHandlers(s.db(), s.metrics());
    var accounts = new AccountHandlers(s.auth(), s.accounts(), s.clock());
    var catalog = new CatalogHandlers(s.auth(), s.catalog());
    var webhooks =
        new WebhookHandlers(
            s.auth(),
            s.webhookReader(),
            s.webhookCheck(),
            s.catalog(),
            s.webhooks(),
            s.deliveries(),
            s.templates(),
            s.runner(),
            s.policy(),
            s.clock(),
            s.rotationGrace());
    var events =
        new EventHandlers(s.auth(), s.accounts(), s.catalog(), s.publisher(), s.queueFull());
    var deliveries = new DeliveryHandlers(s.auth(), s.deliveries(), s.clock(), s.wakeDispatcher());
    var stats = new WebhookStats(s.auth(), s.webhooks(), s.deliveries(), s.clock());
    return List.of(
        new Route(GET, "/health", system::health),
        new Route(GET, "/ready", system::ready),
        new Route(GET, "/metrics", system::metrics),
        new Route(GET, "/api/v1/openapi.json", system::openApi),
        new Route(POST, "/api/v1/accounts", accounts::create),
        new Route(GET, "/api/v1/accounts", accounts::list),
        new Route(GET, "/api/v1/accounts/{id}", accounts::get),
        new Route(POST, "/api/v1/accounts/{id}/api-keys", accounts::issueKey),
        new Route(GET, "/api/v1/accounts/{id}/api-keys", accounts::listKeys),
        new Route(DELETE, "/api/v1/accounts/{id}/api-keys/{keyId}", accounts::revokeKey),
        new Route(POST, "/api/v1/accounts/{id}/portal-link", s.portal()::link),
        new Route(POST, "/api/v1/portal/session", s.portal()::open),
        new Route(GET, "/api/v1/portal/session", s.portal()::current),
        new Route(DELETE, "/api/v1/portal/session", s.portal()::close),
        new Route(GET, "/api/v1/event-types", catalog::list),
        new Route(POST, "/api/v1/webhooks", webhooks::create),
        new Route(GET, "/api/v1/webhooks", webhooks::list),
        new Route(POST, "/api/v1/webhooks/preview", webhooks::previewDraft),
        new Route(GET, "/api/v1/webhooks/{id}", webhooks::get),
        new Route(PUT, "/api/v1/webhooks/{id}", webhooks::replace),
        new Route(DELETE, "/api/v1/webhooks/{id}", webhooks::delete),
        new Route(POST, "/api/v1/webhooks/{id}/preview", webhooks::preview),
        new Route(POST, "/api/v1/webhooks/{id}/test", webhooks::test),
        new Route(POST, "/api/v1/webhooks/{id}/rotate-secret", webhooks::rotateSecret),
        new Route(GET, "/api/v1/webhooks/{id}/stats", stats::stats),
        new Route(POST, "/api/v1/events", events::publish),
        new Route(POST, "/api/v1/events/batch", events::publishBatch),
        new Route(GET, "/api/v1/deliveries", deliveries::list),
        new Route(GET, "/api/v1/deliveries/{id}", deliveries::get),
        new Route(POST, "/api/v1/deliveries/{id}/retry", deliveries::retry));
  }
}
