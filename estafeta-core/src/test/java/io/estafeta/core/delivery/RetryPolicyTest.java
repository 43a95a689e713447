package io.estafeta.core.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryPolicyTest {
  static final Instant T = Instant.parse("2026-11-29T10:00:00Z");
  final RetryPolicy policy = new RetryPolicy(Duration.ofSeconds(60), 3);

  static AttemptResult status(int s) {
    return new AttemptResult.Answered(s, Optional.empty());
  }

  @ParameterizedTest
  @ValueSource(ints = {200, 201, 202, 204, 299})
  void twoHundredsSucceed(int s) {
    assertThat(policy.decide(1, status(s), T)).isEqualTo(new Decision.Succeeded());
  }

  @ParameterizedTest
  @ValueSource(ints = {300, 301, 302, 303, 307, 308})
  void redirectsFailWithoutRetry(int s) {
    assertThat(policy.decide(1, status(s), T))
        .isEqualTo(new Decision.Failed(FailureReason.REDIRECT));
  }

  @ParameterizedTest
  @ValueSource(ints = {400, 401, 403, 404, 409, 410, 422, 499})
  void clientErrorsFailWithoutRetry(int s) {
    assertThat(policy.decide(1, status(s), T))
        .isEqualTo(new Decision.Failed(FailureReason.CLIENT_ERROR));
  }

  @ParameterizedTest
  @ValueSource(ints = {429, 500, 502, 503, 504, 599})
  void serverErrorsAndRateLimitsAreRetriedOnSchedule(int s) {
    assertThat(policy.decide(1, status(s), T)).isEqualTo(new Decision.RetryAt(T.plusSeconds(60)));
    assertThat(policy.decide(2, status(s), T)).isEqualTo(new Decision.RetryAt(T.plusSeconds(120)));
    assertThat(policy.decide(3, status(s), T)).isEqualTo(new Decision.RetryAt(T.plusSeconds(180)));
    assertThat(policy.decide(4, status(s), T))
        .isEqualTo(new Decision.Failed(FailureReason.RETRIES_EXHAUSTED));
  }

  @Test
  void transientFailuresAreRetried() {
    var timeout = new AttemptResult.TransientFailure("timeout");
    assertThat(policy.decide(2, timeout, T)).isEqualTo(new Decision.RetryAt(T.plusSeconds(120)));
    assertThat(policy.decide(4, timeout, T))
        .isEqualTo(new Decision.Failed(FailureReason.RETRIES_EXHAUSTED));
  }

  @Test
  void blockedDestinationsFailAtOnce() {
    assertThat(policy.decide(1, new AttemptResult.Blocked("loopback"), T))
        .isEqualTo(new Decision.Failed(FailureReason.BLOCKED_DESTINATION));
  }

  @Test
  void longerRetryAfterOn429Or503IsHonouredUpToAnHour() {
    var longer = new AttemptResult.Answered(429, Optional.of(Duration.ofMinutes(10)));
    assertThat(policy.decide(1, longer, T)).isEqualTo(new Decision.RetryAt(T.plusSeconds(600)));
    var shorter = new AttemptResult.Answered(503, Optional.of(Duration.ofSeconds(5)));
    assertThat(policy.decide(1, shorter, T)).isEqualTo(new Decision.RetryAt(T.plusSeconds(60)));
    var huge = new AttemptResult.Answered(503, Optional.of(Duration.ofDays(2)));
    assertThat(policy.decide(1, huge, T)).isEqualTo(new Decision.RetryAt(T.plusSeconds(3600)));
    // Only 429 and 503 are asked: on a 500 the header is ignored.
    var other = new AttemptResult.Answered(500, Optional.of(Duration.ofMinutes(10)));
    assertThat(policy.decide(1, other, T)).isEqualTo(new Decision.RetryAt(T.plusSeconds(60)));
  }

  @Test
  void noRetriesMeansOneAttempt() {
    var none = new RetryPolicy(Duration.ofSeconds(60), 0);
    assertThat(none.decide(1, status(500), T))
        .isEqualTo(new Decision.Failed(FailureReason.RETRIES_EXHAUSTED));
  }

  @Test
  void retryAfterReadsSecondsAndDates() {
    assertThat(RetryAfter.parse("120", T)).contains(Duration.ofSeconds(120));
    assertThat(RetryAfter.parse("Sun, 29 Nov 2026 10:05:00 GMT", T))
        .contains(Duration.ofMinutes(5));
    assertThat(RetryAfter.parse("Sun, 29 Nov 2026 09:05:00 GMT", T)).contains(Duration.ZERO);
    assertThat(RetryAfter.parse("soon", T)).isEmpty();
    assertThat(RetryAfter.parse(null, T)).isEmpty();
    assertThat(RetryAfter.parse("99999999999999999999999", T)).contains(Duration.ofDays(1));
  }
}
