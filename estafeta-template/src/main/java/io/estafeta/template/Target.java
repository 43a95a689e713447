package io.estafeta.template;

/**
 * Where a template's output goes. It decides how every {@code {{ }}} is escaped (contract §6) and
 * which parser {@link RenderedCheck} uses on the result.
 */
public enum Target {
  /** The request URL: absolute http/https; {{ }} only in path, query and fragment. */
  URL,
  /** One header value: no CR, LF or NUL can get in. */
  HEADER_VALUE,
  JSON,
  XML,
  TEXT,
  CSV,
  YAML,
  /** {@code application/x-www-form-urlencoded}. */
  FORM
}
