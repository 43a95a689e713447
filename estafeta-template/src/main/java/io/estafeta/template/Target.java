package io.estafeta.template;

/** Where a template's output lands, which decides how every value in it is escaped. */
public enum Target {
  URL,
  HEADER_VALUE,
  JSON,
  XML,
  TEXT,
  CSV,
  YAML,
  FORM
}
