package io.estafeta.core.webhook;

/**
 * A header of a webhook's request.
 *
 * @param value a template; for a secret header the literal value, never shown again
 * @param secret whether the value is kept encrypted and masked in every answer and log
 */
public record HeaderSpec(String name, String value, boolean secret) {
  /** The same header with its value hidden, as answers show secret headers. */
  public HeaderSpec masked() {
    return secret ? new HeaderSpec(name, null, true) : this;
  }
}
