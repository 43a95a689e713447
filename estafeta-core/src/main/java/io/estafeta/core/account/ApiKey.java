package io.estafeta.core.account;

import java.time.Instant;

/**
 * An account API key as stored: never the key itself, only its hash and a short prefix to recognise
 * it by.
 */
public record ApiKey(
    String id, String accountId, String prefix, Instant createdAt, Instant revokedAt) {
  public boolean active() {
    return revokedAt == null;
  }
}
