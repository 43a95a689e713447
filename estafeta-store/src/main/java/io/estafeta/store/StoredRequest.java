package io.estafeta.store;

/**
 * A rendered request as stored: its method, URL, headers and timeout as a small JSON text, and its
 * body apart, as it was rendered. Kept apart, the body is neither escaped into JSON when stored nor
 * unescaped on every attempt, and an attempt's record need not repeat it.
 *
 * @param head the JSON text; requests stored before the body was kept apart also hold it there
 * @param body the body, or {@code null} when there is none (or it is still in the head)
 */
public record StoredRequest(String head, String body) {}
