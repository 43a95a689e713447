package io.estafeta.delivery.dispatch;

import io.estafeta.core.delivery.AttemptResult;
import java.time.Instant;

/**
 * One attempt as it happened.
 *
 * @param result what the retry rules read of it
 * @param error the failure in words, {@code null} when the receiver answered
 * @param request the request as sent, secret values masked, as the stored JSON text; without its
 *     body, which is the delivery's (the same on every attempt, shown from there)
 * @param response the answer as stored JSON text, {@code null} when there was none
 */
public record Attempt(
    Instant startedAt,
    long durationMs,
    AttemptResult result,
    String error,
    String request,
    String response) {}
