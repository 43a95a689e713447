package io.estafeta.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench is not run by the unit tests: only its arguments and arithmetic are checked. */
class BenchSmokeTest {
  @Test
  void readsItsOptions() {
    Options o =
        Options.parse(
            new String[] {
              "--events",
              "1000",
              "--scenario",
              "one,limit",
              "--runs",
              "3",
              "--db-url",
              "jdbc:postgresql://127.0.0.1:5432/test",
              "--paced-rate",
              "2800"
            });
    assertThat(o.events()).isEqualTo(1000);
    assertThat(o.pacedRate()).isEqualTo(2800);
    assertThat(o.warmUp()).isEqualTo(100);
    assertThat(Options.parse(new String[] {"--warm-up", "5000"}).warmUp()).isEqualTo(5000);
    assertThat(Options.parse(new String[0]).pacedRate()).isZero();
    assertThat(o.scenarios()).containsExactly("one", "limit");
    assertThat(o.runs()).isEqualTo(3);
    assertThat(o.database()).isEqualTo("postgresql");
    assertThat(Options.parse(new String[0]).scenarios()).isEqualTo(Options.ALL);
  }

  @Test
  void refusesADatabaseOffThisMachine() {
    assertThatThrownBy(
            () -> Options.parse(new String[] {"--db-url", "jdbc:postgresql://db.example.com/x"}))
        .hasMessageContaining("127.0.0.1");
    assertThatThrownBy(() -> Options.parse(new String[] {"--scenario", "nope"}))
        .hasMessageContaining("unknown scenario");
  }

  @Test
  void percentilesAndMedians() {
    int[] sorted = new int[100];
    for (int i = 0; i < 100; i++) {
      sorted[i] = i + 1;
    }
    assertThat(Recorder.percentile(sorted, 0.5)).isEqualTo(50);
    assertThat(Recorder.percentile(sorted, 0.99)).isEqualTo(99);
    assertThat(ClaimBench.median(new double[] {3, 1, 2})).isEqualTo(2);
    assertThat(ClaimBench.median(new double[] {4, 1, 2, 3})).isEqualTo(2.5);
  }

  @Test
  void recordsFirstAttemptsAndCapsFailures() {
    Recorder r = new Recorder();
    r.reset(new Recorder.Behaviour(1.0, 0));
    String published = Long.toString(Clocks.nowMicros());
    // Always failing: three 500s, then the fourth attempt of the same delivery succeeds.
    List<Integer> statuses =
        List.of(
            r.arrived(published, "dlv_1"),
            r.arrived(published, "dlv_1"),
            r.arrived(published, "dlv_1"),
            r.arrived(published, "dlv_1"));
    assertThat(statuses).containsExactly(500, 500, 500, 200);
    assertThat(r.ok()).isEqualTo(1);
    assertThat(r.statsJson()).contains("\"count\":1");
  }
}
