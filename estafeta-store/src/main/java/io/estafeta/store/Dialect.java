package io.estafeta.store;

/** The databases Estafeta runs on; what it says differently to each is in {@code Statements}. */
public enum Dialect {
  SQLITE,
  POSTGRESQL;

  public static Dialect of(String jdbcUrl) {
    if (jdbcUrl.startsWith("jdbc:sqlite:")) {
      return SQLITE;
    }
    if (jdbcUrl.startsWith("jdbc:postgresql:")) {
      return POSTGRESQL;
    }
    throw new IllegalArgumentException("only jdbc:sqlite: and jdbc:postgresql: URLs are supported");
  }
}
