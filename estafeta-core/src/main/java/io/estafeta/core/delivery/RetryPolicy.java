package io.estafeta.core.delivery;

import java.time.Duration;
import java.time.Instant;

/**
 * The delivery rules of contract §8. Retry <i>n</i> (1 … {@code maxRetries}) starts {@code n ×
 * baseDelay} after attempt <i>n</i> failed; a longer {@code Retry-After} on 429 or 503 is honoured
 * up to an hour. Only the status code is read, never the body.
 */
public record RetryPolicy(Duration baseDelay, int maxRetries) {
  static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  /**
   * Decides after attempt {@code attemptNumber} (1-based, counted since the retry budget was last
   * renewed) ended at {@code endedAt}.
   */
  public Decision decide(int attemptNumber, AttemptResult result, Instant endedAt) {
    return switch (result) {
      case AttemptResult.Blocked b -> new Decision.Failed(FailureReason.BLOCKED_DESTINATION);
      case AttemptResult.TransientFailure t -> retry(attemptNumber, Duration.ZERO, endedAt);
      case AttemptResult.Answered(int status, var retryAfter) -> {
        if (status >= 200 && status < 300) {
          yield new Decision.Succeeded();
        }
        if (status >= 300 && status < 400) {
          yield new Decision.Failed(FailureReason.REDIRECT);
        }
        if (status == 429 || status == 503) {
          yield retry(attemptNumber, retryAfter.orElse(Duration.ZERO), endedAt);
        }
        if (status >= 500) {
          yield retry(attemptNumber, Duration.ZERO, endedAt);
        }
        // 1xx never reaches here (the client consumes them); any other 4xx is final.
        yield new Decision.Failed(FailureReason.CLIENT_ERROR);
      }
    };
  }

  private Decision retry(int attemptNumber, Duration asked, Instant endedAt) {
    if (attemptNumber > maxRetries) {
      return new Decision.Failed(FailureReason.RETRIES_EXHAUSTED);
    }
    Duration delay = baseDelay.multipliedBy(attemptNumber);
    Duration honoured = asked.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : asked;
    if (honoured.compareTo(delay) > 0) {
      delay = honoured;
    }
    return new Decision.RetryAt(endedAt.plus(delay));
  }
}
