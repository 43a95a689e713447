package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.estafeta.store.internal.Jdbc;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The statements the stores run through {@link Jdbc}, on SQLite and on PostgreSQL. */
class JdbcTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00.123Z");

  record Note(long id, String text, int count, boolean done, Instant at, Instant due) {}

  Database db;
  PostgresSchema schema;

  void open(String kind) throws Exception {
    if (kind.equals("sqlite")) {
      db = Database.sqlite(Files.createTempDirectory("jdbc").resolve("e.db"));
    } else {
      schema = PostgresSchema.create("jdbc");
      db = schema.open();
    }
    db.inTransaction(c -> {
      Jdbc.execute(
          c,
          "create table notes (id bigint primary key, text varchar(100), count integer,"
              + " done boolean, at bigint not null, due bigint)");
      return null;
    });
  }

  @AfterEach
  void close() throws SQLException {
    if (db != null) {
      db.close();
    }
    if (schema != null) {
      schema.close();
    }
  }

  static Note note(java.sql.ResultSet rs) throws SQLException {
    return new Note(
        rs.getLong(1),
        rs.getString(2),
        rs.getInt(3),
        rs.getBoolean(4),
        Jdbc.instant(rs, 5),
        Jdbc.instantOrNull(rs, 6));
  }

  static final String INSERT = "insert into notes values (?, ?, ?, ?, ?, ?)";
  static final String SELECT = "select id, text, count, done, at, due from notes";

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void valuesComeBackAsTheyWereBound(String kind) throws Exception {
    open(kind);
    Note full = new Note(1, "llamar", 3, true, T0, T0.plusSeconds(60));
    Note empty = new Note(2, null, 0, false, T0, null);
    db.inTransaction(c ->
        Jdbc.update(c, INSERT, 1L, "llamar", 3, true, T0, Jdbc.millisOrNull(T0.plusSeconds(60)))
            + Jdbc.update(c, INSERT, 2L, null, 0, false, T0, Jdbc.millisOrNull(null)));

    List<Note> all = db.withReader(c -> Jdbc.list(c, SELECT + " order by id", JdbcTest::note));
    Optional<Note> second =
        db.withReader(c -> Jdbc.first(c, SELECT + " where id = ?", JdbcTest::note, 2L));
    Optional<Note> none =
        db.withReader(c -> Jdbc.first(c, SELECT + " where id = ?", JdbcTest::note, 3L));

    assertThat(all).containsExactly(full, empty);
    assertThat(second).contains(empty);
    assertThat(none).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aBatchAnswersWhatEachRowChanged(String kind) throws Exception {
    open(kind);
    insertThree();

    int[] changed =
        db.inTransaction(c ->
            Jdbc.batch(
                c,
                "update notes set count = count + 1 where id = ?",
                List.of(3L, 9L, 1L),
                id -> new Object[] {id}));
    int[] nothing =
        db.inTransaction(c -> Jdbc.batch(c, "delete from notes", List.<Long>of(), id -> null));
    List<Integer> counts =
        db.withReader(c -> Jdbc.list(c, "select count from notes order by id", rs -> rs.getInt(1)));

    assertThat(changed).containsExactly(1, 0, 1);
    assertThat(nothing).isEmpty();
    assertThat(counts).containsExactly(1, 0, 1);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void anyOfFindsEachOfItsValues(String kind) throws Exception {
    open(kind);
    insertThree();
    Statements.AnyOf any = db.statements().anyOf("text", List.of("n3", "n1", "n7"));

    List<Long> found =
        db.withReader(c ->
            Jdbc.list(
                c,
                "select id from notes where " + any.sql() + " and at = ? order by id",
                rs -> rs.getLong(1),
                any,
                T0));

    assertThat(found).containsExactly(1L, 3L);
  }

  @ParameterizedTest
  @ValueSource(strings = {"sqlite", "postgresql"})
  void aValueOfAnotherTypeIsRefused(String kind) throws Exception {
    open(kind);

    assertThatThrownBy(
            () -> db.withReader(c -> Jdbc.first(c, SELECT + " where id = ?", JdbcTest::note, 1.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("java.lang.Double");
  }

  private void insertThree() {
    db.inTransaction(c ->
        Jdbc.batch(
            c,
            INSERT,
            List.of(1L, 2L, 3L),
            id -> new Object[] {id, "n" + id, 0, false, T0, Jdbc.millisOrNull(null)}));
  }
}
