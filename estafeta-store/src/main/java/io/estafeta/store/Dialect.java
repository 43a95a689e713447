package io.estafeta.store;

/** The databases Estafeta runs on; the differences between them live here. */
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
