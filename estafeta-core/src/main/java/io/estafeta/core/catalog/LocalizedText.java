package io.estafeta.core.catalog;

/** A text in the two languages the portal speaks. */
public record LocalizedText(String es, String en) {}
