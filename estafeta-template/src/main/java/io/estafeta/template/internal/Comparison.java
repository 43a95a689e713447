package io.estafeta.template.internal;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

/**
 * {@code eq ne gt lt}. Numbers compare numerically (also against a numeric string, as event data
 * often carries numbers as text); strings compare as text; objects and lists are equal only when
 * they are the same value, so comparing never walks a large structure.
 */
public final class Comparison {
  private static final int MAX_NUMERIC_TEXT = 100;

  private Comparison() {}

  public static boolean equal(Object a, Object b) {
    if (a == b) {
      return true;
    }
    if (a == null || b == null) {
      return false;
    }
    BigDecimal[] numbers = numbers(a, b);
    if (numbers != null) {
      return numbers[0].compareTo(numbers[1]) == 0;
    }
    if (a instanceof Map || a instanceof List || b instanceof Map || b instanceof List) {
      return false;
    }
    if (a instanceof JsonValue || b instanceof JsonValue) {
      return false;
    }
    return a.equals(b);
  }

  /** Negative, zero, positive; or null when the two do not compare (then gt and lt are false). */
  public static Integer order(Object a, Object b) {
    if (a == null || b == null) {
      return null;
    }
    BigDecimal[] numbers = numbers(a, b);
    if (numbers != null) {
      return numbers[0].compareTo(numbers[1]);
    }
    if (a instanceof String x && b instanceof String y) {
      return x.compareTo(y);
    }
    return null;
  }

  private static BigDecimal[] numbers(Object a, Object b) {
    if (!(a instanceof Number) && !(b instanceof Number)) {
      return null;
    }
    BigDecimal x = decimal(a);
    BigDecimal y = decimal(b);
    return x == null || y == null ? null : new BigDecimal[] {x, y};
  }

  private static BigDecimal decimal(Object v) {
    if (v instanceof Number n) {
      return ValueText.decimal(n);
    }
    if (v instanceof String s && !s.isBlank() && s.length() <= MAX_NUMERIC_TEXT) {
      try {
        return new BigDecimal(s.strip());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }
}
