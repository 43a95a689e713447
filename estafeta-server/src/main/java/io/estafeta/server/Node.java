package io.estafeta.server;

import io.estafeta.core.secret.SecretBox;
import io.estafeta.core.secret.Tokens;
import io.estafeta.store.Database;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

/**
 * What a node needs before it serves: the data directory, the database, the admin token and the
 * master key. Generated secrets are kept in files readable only by the owner.
 */
public record Node(Config config, Database db, String adminToken, SecretBox box)
    implements AutoCloseable {

  public static Node open(Config config) {
    Path dir = config.dataDir();
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new Config.Invalid("ESTAFETA_DATA_DIR", "cannot create " + dir + ": " + e.getMessage());
    }
    byte[] masterKey =
        config
            .masterKey()
            .orElseGet(() -> {
              if (config.postgres()) {
                throw new Config.Invalid(
                    "ESTAFETA_MASTER_KEY",
                    "is required with PostgreSQL, and must be the same on every node");
              }
              return Base64.getDecoder()
                  .decode(
                      kept(
                          dir.resolve("master.key"),
                          () -> Base64.getEncoder().encodeToString(Tokens.bytes(32)),
                          null));
            });
    String adminToken =
        config
            .adminToken()
            .orElseGet(() ->
                kept(
                    dir.resolve("admin-token"),
                    Tokens::adminToken,
                    "Generated the admin token (kept in " + dir.resolve("admin-token") + "): "));
    Database db =
        config
            .dbUrl()
            .map(url -> Database.postgresql(url, config.dbUser(), config.dbPassword(), 16))
            .orElseGet(() -> Database.sqlite(dir.resolve("estafeta.db")));
    return new Node(config, db, adminToken, new SecretBox(masterKey));
  }

  @Override
  public void close() {
    db.close();
  }

  /** Reads a generated secret, creating it (and announcing it once) on first start. */
  private static String kept(Path file, java.util.function.Supplier<String> make, String announce) {
    try {
      if (Files.exists(file)) {
        return Files.readString(file, StandardCharsets.UTF_8).strip();
      }
      String value = make.get();
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, value + "\n", StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // Not a POSIX file system: the directory's permissions protect it.
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      if (announce != null) {
        System.out.println(announce + value);
      }
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
