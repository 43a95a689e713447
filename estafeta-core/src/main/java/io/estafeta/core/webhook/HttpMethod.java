package io.estafeta.core.webhook;

/** The methods a webhook may use (contract §5). */
public enum HttpMethod {
  POST,
  GET,
  PATCH,
  DELETE,
  PUT,
  OPTIONS,
  HEAD;

  /** GET and HEAD requests carry no body. */
  public boolean allowsBody() {
    return this != GET && this != HEAD;
  }
}
