package io.estafeta.template.internal;

/**
 * What the {@code json} helper returns: a value to be written as JSON. In a JSON (or YAML) value
 * position it becomes the structure itself; anywhere else its JSON text, escaped for the place.
 *
 * @param value the serialised value
 */
public record JsonValue(Object value) {}
