package io.estafeta.core.webhook;

/** A request body: its format and its template. */
public record BodySpec(BodyFormat format, String template) {}
