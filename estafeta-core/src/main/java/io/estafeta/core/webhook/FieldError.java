package io.estafeta.core.webhook;

/** A validation problem, named by the JSON path of the field it concerns. */
public record FieldError(String field, String message) {}
