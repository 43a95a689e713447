package io.estafeta.store;

import io.estafeta.core.delivery.DeliveryStatus;
import io.estafeta.core.delivery.FailureReason;

/**
 * A delivery made by a fan-out: pending with its rendered request, or already failed (a template
 * that would not render) with the error.
 *
 * @param request the rendered request as stored JSON (secret values sealed), {@code null} when it
 *     could not be rendered
 */
public record NewDelivery(
    String id,
    String webhookId,
    DeliveryStatus status,
    FailureReason reason,
    StoredRequest request,
    String error) {}
