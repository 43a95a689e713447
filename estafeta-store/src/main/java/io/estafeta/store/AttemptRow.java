package io.estafeta.store;

import java.time.Instant;

/**
 * One attempt as stored; request and response are JSON texts written by the delivery side (secret
 * values already masked).
 */
public record AttemptRow(
    String deliveryId,
    int number,
    Instant startedAt,
    long durationMs,
    String outcome,
    String error,
    String request,
    String response) {}
