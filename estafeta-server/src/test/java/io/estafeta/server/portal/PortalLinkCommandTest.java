package io.estafeta.server.portal;

import static org.assertj.core.api.Assertions.assertThat;

import io.estafeta.server.Main;
import io.estafeta.server.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code ./estafeta portal-link ACCOUNT_ID}: prints a link that opens a session, once. */
class PortalLinkCommandTest {
  record Run(int exit, String out, String err) {}

  static Run run(Path dataDir, String... args) throws Exception {
    String[] command = new String[args.length + 5];
    command[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    command[1] = "--enable-native-access=ALL-UNNAMED";
    command[2] = "-cp";
    command[3] = System.getProperty("java.class.path");
    command[4] = Main.class.getName();
    System.arraycopy(args, 0, command, 5, args.length);
    ProcessBuilder b = new ProcessBuilder(command);
    b.environment().put("ESTAFETA_DATA_DIR", dataDir.toString());
    b.environment().put("ESTAFETA_ADMIN_TOKEN", TestServer.ADMIN);
    b.environment().put("ESTAFETA_PORT", "18081");
    b.environment().remove("ESTAFETA_PUBLIC_URL");
    Path out = Files.createTempFile("portal-link", ".out");
    Path err = Files.createTempFile("portal-link", ".err");
    b.redirectOutput(out.toFile()).redirectError(err.toFile());
    Process p = b.start();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void printsAOneTimeLinkForAnAccount() throws Exception {
    Path dir;
    String accountId;
    try (TestServer api = TestServer.start()) {
      dir = api.dataDir();
      accountId = api.account("Clínica Sur").id();
    }
    Run ok = run(dir, "portal-link", accountId);
    assertThat(ok.exit()).as(ok.err()).isZero();
    String url = ok.out().strip();
    assertThat(url).matches("http://localhost:18081/#/login/ptl_[A-Za-z0-9_-]{43}");
    assertThat(ok.err()).contains("valid once");

    Run unknown = run(dir, "portal-link", "acc_nope");
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
