package io.estafeta.store;

import java.time.Instant;

/**
 * A node's hold on deliveries: nobody else takes them before {@code until} (kept up by the node's
 * heartbeat), and when the node dies they are simply due again then.
 */
public record Lease(String owner, Instant until) {}
