package io.estafeta.core.delivery;

import java.time.Instant;

/** What happens to a delivery after an attempt. */
public sealed interface Decision {
  /** The attempt's outcome as the API names it: {@code success}, {@code retry}, {@code failure}. */
  String outcome();

  record Succeeded() implements Decision {
    @Override
    public String outcome() {
      return "success";
    }
  }

  record RetryAt(Instant at) implements Decision {
    @Override
    public String outcome() {
      return "retry";
    }
  }

  record Failed(FailureReason reason) implements Decision {
    @Override
    public String outcome() {
      return "failure";
    }
  }
}
