package io.estafeta.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {
  @Test
  void readsTheFourUnits() {
    assertThat(DurationText.parse("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(DurationText.parse("60s")).isEqualTo(Duration.ofSeconds(60));
    assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(DurationText.parse("1h")).isEqualTo(Duration.ofHours(1));
    assertThat(DurationText.parse("30d")).isEqualTo(Duration.ofDays(30));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "s", "10", "1.5s", "-1s", "1w", "10 s", "1h30m", "99999999999s"})
  void refusesOtherSpellings(String text) {
    assertThatThrownBy(() -> DurationText.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("250ms");
  }

  @Test
  void formatsTheShortestExactForm() {
    assertThat(DurationText.format(Duration.ofSeconds(15))).isEqualTo("15s");
    assertThat(DurationText.format(Duration.ofSeconds(120))).isEqualTo("2m");
    assertThat(DurationText.format(Duration.ofMillis(1500))).isEqualTo("1500ms");
    assertThat(DurationText.format(Duration.ofHours(2))).isEqualTo("2h");
  }
}
