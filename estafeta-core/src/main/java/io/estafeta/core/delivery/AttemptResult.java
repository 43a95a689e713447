package io.estafeta.core.delivery;

import java.time.Duration;
import java.util.Optional;

/** What one attempt came to, as far as the retry rules care: a status code or a failure. */
public sealed interface AttemptResult {
  /**
   * The receiver answered.
   *
   * @param retryAfter the delay a {@code Retry-After} header asked for, if any
   */
  record Answered(int status, Optional<Duration> retryAfter) implements AttemptResult {}

  /** A timeout, a connection or TLS error: the receiver may be back later. */
  record TransientFailure(String error) implements AttemptResult {}

  /** The destination is not allowed: retrying cannot help. */
  record Blocked(String error) implements AttemptResult {}
}
