package io.estafeta.core.delivery;

import java.util.Locale;

/** Why a delivery failed for good (contract §7). */
public enum FailureReason {
  CLIENT_ERROR,
  REDIRECT,
  RETRIES_EXHAUSTED,
  BLOCKED_DESTINATION,
  RENDER_ERROR;

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static FailureReason fromApiName(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
