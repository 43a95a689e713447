package io.estafeta.core.account;

import java.time.Instant;

/** A customer account of the platform. */
public record Account(String id, String name, Instant createdAt) {}
