package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.core.secret.Tokens;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Links and sessions of the portal, on a fresh SQLite file. */
class PortalStoreTest {
  static final Instant T0 = Instant.parse("2026-11-29T10:00:00Z");
  static final Duration TEN_MINUTES = Duration.ofMinutes(10);
  static final Duration HOURS = Duration.ofHours(8);

  Path dir;
  Database db;
  PortalStore portal;
  String accountId;

  @BeforeEach
  void open() throws Exception {
    dir = Files.createTempDirectory("portal-store");
    db = Database.sqlite(dir.resolve("estafeta.db"));
    portal = new PortalStore(db);
    accountId = new AccountStore(db).create("Clínica Sur", T0).account().id();
  }

  @AfterEach
  void close() {
    db.close();
  }

  @Test
  void aLinkOpensOneSessionOnce() {
    var link = portal.issueLink(accountId, T0, TEN_MINUTES);
    assertThat(link.token()).startsWith("ptl_");
    assertThat(link.expiresAt()).isEqualTo(T0.plus(TEN_MINUTES));

    var first = portal.open(link.token(), T0.plusSeconds(5), HOURS);
    assertThat(first).isInstanceOf(PortalStore.Opened.class);
    var opened = (PortalStore.Opened) first;
    assertThat(opened.session().account().id()).isEqualTo(accountId);
    assertThat(opened.session().account().name()).isEqualTo("Clínica Sur");
    assertThat(opened.session().expiresAt()).isEqualTo(T0.plusSeconds(5).plus(HOURS));

    assertThat(portal.open(link.token(), T0.plusSeconds(6), HOURS))
        .isInstanceOf(PortalStore.Refused.class);
    assertThat(portal.open("ptl_unknown", T0, HOURS)).isInstanceOf(PortalStore.Refused.class);
  }

  @Test
  void aLinkExpiresAfterItsTime() {
    var link = portal.issueLink(accountId, T0, TEN_MINUTES);
    assertThat(portal.open(link.token(), T0.plus(TEN_MINUTES), HOURS))
        .isInstanceOf(PortalStore.Refused.class);
  }

  @Test
  void sessionsExpireAndClose() {
    var link = portal.issueLink(accountId, T0, TEN_MINUTES);
    var opened = (PortalStore.Opened) portal.open(link.token(), T0, HOURS);
    String token = opened.sessionToken();

    assertThat(portal.session(token, T0.plus(HOURS).minusMillis(1))).isPresent();
    assertThat(portal.session(token, T0.plus(HOURS))).isEmpty();
    assertThat(portal.session("pts_unknown", T0)).isEmpty();

    assertThat(portal.close(token)).isTrue();
    assertThat(portal.session(token, T0)).isEmpty();
    assertThat(portal.close(token)).isFalse();
  }

  @Test
  void onlyHashesOfTokensAreStored() throws Exception {
    var link = portal.issueLink(accountId, T0, TEN_MINUTES);
    var opened = (PortalStore.Opened) portal.open(link.token(), T0, HOURS);
    String stored =
        db.withReader(c -> {
          StringBuilder all = new StringBuilder();
          for (String table : List.of("portal_links", "portal_sessions")) {
            try (var rs = c.createStatement().executeQuery("select token_hash from " + table)) {
              while (rs.next()) {
                all.append(rs.getString(1)).append('\n');
              }
            }
          }
          return all.toString();
        });
    assertThat(stored)
        .doesNotContain(link.token())
        .doesNotContain(opened.sessionToken())
        .contains(Tokens.hash(link.token()))
        .contains(Tokens.hash(opened.sessionToken()));
  }

  @Test
  void purgeForgetsWhatExpired() {
    portal.issueLink(accountId, T0, TEN_MINUTES);
    var link = portal.issueLink(accountId, T0, TEN_MINUTES);
    portal.open(link.token(), T0, Duration.ofMinutes(30));
    assertThat(portal.purgeExpired(T0.plus(TEN_MINUTES))).isEqualTo(2);
    assertThat(portal.purgeExpired(T0.plus(Duration.ofHours(1)))).isEqualTo(1);
  }
}
