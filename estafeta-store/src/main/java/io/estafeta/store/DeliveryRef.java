package io.estafeta.store;

/** A delivery as the events API names it. */
public record DeliveryRef(String id, String webhookId) {}
