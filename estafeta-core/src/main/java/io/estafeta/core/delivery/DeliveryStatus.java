package io.estafeta.core.delivery;

import java.util.Locale;

/** Where a delivery stands (contract §7). */
public enum DeliveryStatus {
  PENDING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static DeliveryStatus fromApiName(String s) {
    return valueOf(s.toUpperCase(Locale.ROOT));
  }
}
