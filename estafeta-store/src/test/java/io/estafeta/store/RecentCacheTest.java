package io.estafeta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** An expired value is read again by one caller while the others keep the one it replaces. */
class RecentCacheTest {
  // Expired as soon as it is stored: every look is a look at an expired value.
  final RecentCache<String, String> cache = new RecentCache<>(Duration.ofNanos(1), 10);

  @Test
  void whileOneCallerReadsAnExpiredValueAgainTheOthersGetTheOldOne() throws Exception {
    assertThat(cache.get("wh", () -> "v1")).isEqualTo("v1");
    CountDownLatch reading = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    CompletableFuture<String> first =
        CompletableFuture.supplyAsync(() ->
            cache.get(
                "wh",
                () -> {
                  reading.countDown();
                  await(release);
                  return "v2";
                }));
    assertThat(reading.await(5, TimeUnit.SECONDS)).isTrue();

    AtomicInteger reads = new AtomicInteger();
    for (int i = 0; i < 5; i++) {
      assertThat(cache.get("wh", () -> "v" + (10 + reads.incrementAndGet()))).isEqualTo("v1");
    }
    assertThat(reads).as("no second read while the first is under way").hasValue(0);

    release.countDown();
    assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("v2");
    // Expired again: the next caller reads.
    assertThat(cache.get("wh", () -> "v3")).isEqualTo("v3");
  }

  @Test
  void aReadThatFailsLeavesTheNextCallerToReadAgain() {
    assertThat(cache.get("wh", () -> "v1")).isEqualTo("v1");
    assertThatThrownBy(() ->
            cache.get(
                "wh",
                () -> {
                  throw new StoreException(
                      "the database is away", new java.sql.SQLException("gone"));
                }))
        .isInstanceOf(StoreException.class);
    assertThat(cache.get("wh", () -> "v2")).isEqualTo("v2");
  }

  @Test
  void aForgottenValueIsReadAtOnce() {
    RecentCache<String, String> longLived = new RecentCache<>(Duration.ofHours(1), 10);
    assertThat(longLived.get("wh", () -> "v1")).isEqualTo("v1");
    assertThat(longLived.get("wh", () -> "v2")).isEqualTo("v1");
    longLived.forget("wh");
    assertThat(longLived.get("wh", () -> "v2")).isEqualTo("v2");
  }

  private static void await(CountDownLatch latch) {
    try {
      assertThat(latch.await(5, TimeUnit.SECONDS)).isTrue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
