package io.estafeta.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.server.Main;
import io.estafeta.server.TestServer;
import io.estafeta.testsupport.ServerProcess;
import io.estafeta.testsupport.ServerProcess.Finished;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code ./estafeta portal-link ACCOUNT_ID}: prints a link that opens a session, once. */
class PortalLinkCommandTest {
  static Finished run(Path dataDir, String... args) throws Exception {
    return ServerProcess.java(Main.class.getName(), args)
        .env("ESTAFETA_DATA_DIR", dataDir.toString())
        .env("ESTAFETA_ADMIN_TOKEN", TestServer.ADMIN)
        .env("ESTAFETA_PORT", "18081")
        .unsetInherited("ESTAFETA_PUBLIC_URL")
        .run();
  }

  @Test
  void printsAOneTimeLinkForAnAccount() throws Exception {
    Path dir;
    String accountId;
    try (TestServer api = TestServer.start()) {
      dir = api.dataDir();
      accountId = api.account("Clínica Sur").id();
    }
    Finished ok = run(dir, "portal-link", accountId);
    assertThat(ok.exit()).as(ok.err()).isZero();
    String url = ok.out().strip();
    assertThat(url).matches("http://localhost:18081/#/login/ptl_[A-Za-z0-9_-]{43}");
    assertThat(ok.err()).contains("valid once");

    Finished unknown = run(dir, "portal-link", "acc_nope");
    assertThat(unknown.exit()).isEqualTo(1);
    assertThat(unknown.err()).contains("no account acc_nope");
    assertThat(run(dir, "portal-link").exit()).isEqualTo(2);

    try (TestServer api =
        TestServer.start(Map.of("ESTAFETA_DATA_DIR", dir.toString()), Clock.systemUTC())) {
      String token = PortalSession.token(url);
      assertThat(PortalSession.open(api, token).status()).isEqualTo(201);
      assertThat(PortalSession.open(api, token).status()).isEqualTo(401);
    }
  }
}
