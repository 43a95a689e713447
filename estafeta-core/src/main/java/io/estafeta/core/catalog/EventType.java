package io.estafeta.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One type of event the platform publishes.
 *
 * @param type the dotted name, such as {@code call.created}
 * @param name display names by language ({@code es}, {@code en})
 * @param description descriptions by language
 * @param schema JSON Schema of the event's {@code data}
 * @param sample a realistic {@code data}, used to check and preview templates
 */
public record EventType(
    String type, LocalizedText name, LocalizedText description, JsonNode schema, JsonNode sample) {}
