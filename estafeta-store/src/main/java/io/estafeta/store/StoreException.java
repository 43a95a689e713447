package io.estafeta.store;

import java.sql.SQLException;

/** A database failure: not the caller's fault, reported as a server error. */
public final class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(String message, SQLException cause) {
    super(message + ": " + cause.getMessage(), cause);
  }
}
