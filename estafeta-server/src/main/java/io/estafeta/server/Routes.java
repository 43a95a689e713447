package io.estafeta.server;

import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import io.estafeta.server.api.AccountHandlers;
import io.estafeta.server.api.CatalogHandlers;
import io.estafeta.server.api.DeliveryHandlers;
import io.estafeta.server.api.EventHandlers;
import io.estafeta.server.api.Route;
import io.estafeta.server.api.SystemHandlers;
import io.estafeta.server.api.WebhookHandlers;
import io.estafeta.server.api.WebhookStats;
import io.estafeta.server.portal.PortalHandlers;
import java.util.List;

/** Every route of the server, in one place: the API's and the portal's. */
final class Routes {
  private Routes() {}

  static List<Route> all(
      SystemHandlers system,
      AccountHandlers accounts,
      CatalogHandlers catalog,
      WebhookHandlers webhooks,
      WebhookStats stats,
      EventHandlers events,
      DeliveryHandlers deliveries,
      PortalHandlers portal) {
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
        new Route(POST, "/api/v1/accounts/{id}/portal-link", portal::link),
        new Route(POST, "/api/v1/portal/session", portal::open),
        new Route(GET, "/api/v1/portal/session", portal::current),
        new Route(DELETE, "/api/v1/portal/session", portal::close),
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
