package io.estafeta.delivery.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** When the dispatcher holds back its next claim for an account's sake, and when it stops. */
class AccountLoadTest {
  final AtomicInteger wakes = new AtomicInteger();

  @Test
  void anAccountWithinOneClaimOfItsCapHoldsClaimingUntilItFallsBelow() {
    // Cap 250, claims of 100: at 150 under way the next claim could pass 250.
    AccountLoad load = new AccountLoad(250, 100, wakes::incrementAndGet);
    for (int i = 0; i < 149; i++) {
      load.claimed("acc_a");
    }
    assertThat(load.anyAtMark()).isFalse();
    load.claimed("acc_a");
    assertThat(load.anyAtMark()).isTrue();
    // Another account's work does not change that; more of the same account does not count twice.
    load.claimed("acc_b");
    load.claimed("acc_a");
    load.ended("acc_a");
    assertThat(load.anyAtMark()).isTrue();
    assertThat(wakes).hasValue(0);

    load.ended("acc_a");
    assertThat(load.anyAtMark()).isFalse();
    assertThat(wakes).as("the dispatcher is woken once, as the account falls below").hasValue(1);
  }

  @Test
  void twoAccountsAtTheMarkBothHaveToFallBelow() {
    AccountLoad load = new AccountLoad(3, 1, wakes::incrementAndGet);
    for (String account : new String[] {"acc_a", "acc_b"}) {
      load.claimed(account);
      load.claimed(account);
    }
    assertThat(load.anyAtMark()).isTrue();
    load.ended("acc_a");
    assertThat(load.anyAtMark()).isTrue();
    load.ended("acc_b");
    assertThat(load.anyAtMark()).isFalse();
    assertThat(wakes).hasValue(2);
  }

  @Test
  void aCapSmallerThanAClaimHoldsClaimingWhileAnythingOfTheAccountIsUnderWay() {
    AccountLoad load = new AccountLoad(2, 100, wakes::incrementAndGet);
    load.claimed("acc_a");
    assertThat(load.anyAtMark()).isTrue();
    load.ended("acc_a");
    assertThat(load.anyAtMark()).isFalse();
  }

  @Test
  void deliveriesHandedOverWholeOnlyUpToTheMarkAndGivenBackTogether() {
    // Cap 250, claims of 100: a hand-off may take the account to 150 and no further, so a claim
    // started meanwhile still cannot take it past 250.
    AccountLoad load = new AccountLoad(250, 100, wakes::incrementAndGet);
    assertThat(load.tryAdd("acc_a", 149)).isTrue();
    assertThat(load.anyAtMark()).isFalse();
    assertThat(load.tryAdd("acc_a", 2)).as("151 would pass the mark").isFalse();
    assertThat(load.tryAdd("acc_a", 1)).isTrue();
    assertThat(load.anyAtMark()).isTrue();
    assertThat(load.tryAdd("acc_b", 150)).as("each account has its own count").isTrue();

    load.ended("acc_a", 10);
    load.ended("acc_b", 150);
    assertThat(load.anyAtMark()).isFalse();
    assertThat(wakes).hasValue(2);
    assertThat(load.tryAdd("acc_a", 10)).isTrue();
  }
}
