package io.estafeta.delivery.dispatch;

import java.time.Duration;

/**
 * How the dispatcher works. The operator's settings ({@code maxInFlight}, {@code lease}, {@code
 * perHost}, {@code perAccount}) come from the node's configuration, which holds their defaults; the
 * rest are the engine's own and have theirs here, in {@link #of}.
 *
 * @param owner this node's name on the leases it takes
 * @param batchSize deliveries claimed per statement
 * @param maxInFlight attempts under way at once
 * @param pollInterval longest sleep: how soon work published by another node is seen without a wake
 * @param lease how long a claim holds: longer than any attempt can take
 * @param shutdownGrace how long closing waits for attempts under way
 * @param perHost concurrent requests to one destination host at most
 * @param perAccount concurrent attempts of one account at most on this node
 * @param nearCapPatience how long claiming waits, in all, for an account so busy that the next
 *     claim could take it past its cap; one that stays that busy longer has a slow receiver, and
 *     claiming goes on (what the account cannot take is put back behind the others' due work)
 * @param hostPatience how long an attempt waits for a slot to its host before it is put back
 * @param putBackDelay how much later a put-back delivery is due again
 */
public record DispatcherSettings(
    String owner,
    int batchSize,
    int maxInFlight,
    Duration pollInterval,
    Duration lease,
    Duration shutdownGrace,
    int perHost,
    int perAccount,
    Duration nearCapPatience,
    Duration hostPatience,
    Duration putBackDelay) {

  public DispatcherSettings {
    if (batchSize < 1 || maxInFlight < 1 || perHost < 1 || perAccount < 1) {
      throw new IllegalArgumentException("batch size, in-flight and caps must be at least 1");
    }
  }

  /** The operator's settings, with the engine's own at their defaults. */
  public static DispatcherSettings of(
      String owner, int maxInFlight, Duration lease, int perHost, int perAccount) {
    return new DispatcherSettings(
        owner,
        100,
        maxInFlight,
        Duration.ofSeconds(1),
        lease,
        Duration.ofSeconds(30),
        perHost,
        perAccount,
        Duration.ofMillis(200),
        Duration.ofSeconds(2),
        Duration.ofSeconds(1));
  }

  public DispatcherSettings withBatchSize(int n) {
    return new DispatcherSettings(
        owner,
        n,
        maxInFlight,
        pollInterval,
        lease,
        shutdownGrace,
        perHost,
        perAccount,
        nearCapPatience,
        hostPatience,
        putBackDelay);
  }

  public DispatcherSettings withMaxInFlight(int n) {
    return new DispatcherSettings(
        owner,
        batchSize,
        n,
        pollInterval,
        lease,
        shutdownGrace,
        perHost,
        perAccount,
        nearCapPatience,
        hostPatience,
        putBackDelay);
  }

  public DispatcherSettings withPollInterval(Duration d) {
    return new DispatcherSettings(
        owner,
        batchSize,
        maxInFlight,
        d,
        lease,
        shutdownGrace,
        perHost,
        perAccount,
        nearCapPatience,
        hostPatience,
        putBackDelay);
  }

  public DispatcherSettings withLease(Duration d) {
    return new DispatcherSettings(
        owner,
        batchSize,
        maxInFlight,
        pollInterval,
        d,
        shutdownGrace,
        perHost,
        perAccount,
        nearCapPatience,
        hostPatience,
        putBackDelay);
  }

  public DispatcherSettings withPerHost(int n) {
    return new DispatcherSettings(
        owner,
        batchSize,
        maxInFlight,
        pollInterval,
        lease,
        shutdownGrace,
        n,
        perAccount,
        nearCapPatience,
        hostPatience,
        putBackDelay);
  }

  public DispatcherSettings withPerAccount(int n) {
    return new DispatcherSettings(
        owner,
        batchSize,
        maxInFlight,
        pollInterval,
        lease,
        shutdownGrace,
        perHost,
        n,
        nearCapPatience,
        hostPatience,
        putBackDelay);
  }

  public DispatcherSettings withNearCapPatience(Duration d) {
    return new DispatcherSettings(
        owner,
        batchSize,
        maxInFlight,
        pollInterval,
        lease,
        shutdownGrace,
        perHost,
        perAccount,
        d,
        hostPatience,
        putBackDelay);
  }

  public DispatcherSettings withHostPatience(Duration d) {
    return new DispatcherSettings(
        owner,
        batchSize,
        maxInFlight,
        pollInterval,
        lease,
        shutdownGrace,
        perHost,
        perAccount,
        nearCapPatience,
        d,
        putBackDelay);
  }
}
