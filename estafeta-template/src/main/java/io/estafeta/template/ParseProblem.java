package io.estafeta.template;

/**
 * Why a rendered result does not parse in its format, and where (1-based).
 *
 * @param line line in the rendered text
 * @param column column in that line
 * @param message what the parser found, in words
 */
public record ParseProblem(int line, int column, String message) {}
