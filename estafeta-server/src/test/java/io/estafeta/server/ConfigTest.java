package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.estafeta.testsupport.ServerProcess;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigTest {
  @Test
  void defaultsAreTheContracts() {
    Config c = Config.fromEnvironment(Map.of());
    assertThat(c.port()).isEqualTo(8080);
    assertThat(c.dataDir().toString()).isEqualTo("./data");
    assertThat(c.retryDelay()).isEqualTo(Duration.ofSeconds(60));
    assertThat(c.maxRetries()).isEqualTo(3);
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(c.userAgent()).isEqualTo("Estafeta/" + Config.VERSION);
    // The build's version, filtered in: not the placeholder, not the fallback.
    assertThat(Config.VERSION).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    assertThat(c.dbUrl()).isEmpty();
    assertThat(c.postgres()).isFalse();
    assertThat(c.maxInFlight()).isEqualTo(2_000);
  }

  @Test
  void durationsTakeTheContractsNotation() {
    Config c =
        Config.fromEnvironment(
            Map.of("ESTAFETA_RETRY_DELAY", "250ms", "ESTAFETA_REQUEST_TIMEOUT", "1m"));
    assertThat(c.retryDelay()).isEqualTo(Duration.ofMillis(250));
    assertThat(c.requestTimeout()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void badValuesNameTheVariable() {
    assertBad("ESTAFETA_PORT", "eighty");
    assertBad("ESTAFETA_PORT", "70000");
    assertBad("ESTAFETA_RETRY_DELAY", "5 minutes");
    assertBad("ESTAFETA_RETRY_DELAY", "0s");
    assertBad("ESTAFETA_MAX_RETRIES", "-1");
    assertBad("ESTAFETA_REQUEST_TIMEOUT", "1w");
    assertBad("ESTAFETA_LOG_FORMAT", "xml");
    assertBad("ESTAFETA_MAX_PER_HOST", "0");
    assertBad("ESTAFETA_MAX_IN_FLIGHT", "0");
    assertBad("ESTAFETA_MASTER_KEY", "not base64!");
    assertBad("ESTAFETA_MASTER_KEY", "c2hvcnQ=");
    assertBad("ESTAFETA_DB_URL", "jdbc:mysql://localhost/x");
    assertBad("ESTAFETA_ADMIN_TOKEN", "short");
  }

  @Test
  void aBadValueStopsStartUpWithOneLineNamingTheVariable() throws Exception {
    ServerProcess.Finished started =
        ServerProcess.java(Main.class.getName(), "serve").env("ESTAFETA_RETRY_DELAY", "soon").run();
    String output = (started.out() + started.err()).strip();
    assertThat(started.exit()).isNotZero();
    assertThat(output.lines().filter(l -> !l.startsWith("WARNING")).toList())
        .singleElement()
        .asString()
        .startsWith("estafeta: ESTAFETA_RETRY_DELAY: ");
  }

  @Test
  void postgresqlNeedsTheMasterKey() throws Exception {
    var dir = java.nio.file.Files.createTempDirectory("estafeta-config");
    Config c =
        Config.fromEnvironment(
            Map.of(
                "ESTAFETA_DB_URL",
                "jdbc:postgresql://127.0.0.1:5432/test",
                "ESTAFETA_DATA_DIR",
                dir.toString()));
    assertThat(c.postgres()).isTrue();
    assertThatThrownBy(() -> Node.open(c))
        .isInstanceOf(Config.Invalid.class)
        .hasMessageStartingWith("ESTAFETA_MASTER_KEY: ")
        .hasMessageContaining("same on every node");
    // Nothing was generated in its place.
    assertThat(dir.resolve("master.key")).doesNotExist();
  }

  private static void assertBad(String variable, String value) {
    assertThatThrownBy(() -> Config.fromEnvironment(Map.of(variable, value)))
        .isInstanceOf(Config.Invalid.class)
        .hasMessageStartingWith(variable + ": ")
        .satisfies(e -> assertThat(e.getMessage().lines()).hasSize(1));
  }
}
