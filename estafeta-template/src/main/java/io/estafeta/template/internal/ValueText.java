package io.estafeta.template.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** How a data value reads as text wherever a string is wanted. */
public final class ValueText {
  private ValueText() {}

  /**
   * Missing and null are empty; objects and lists are their JSON; numbers are written the way
   * Jackson writes them (integers plainly, BigDecimal without exponent).
   */
  public static String of(Object value) {
    return switch (value) {
      case null -> "";
      case String s -> s;
      case Boolean b -> b.toString();
      case Number n -> number(n);
      case JsonValue j -> json(j.value());
      case Map<?, ?> m -> json(m);
      case List<?> l -> json(l);
      default -> plain(value);
    };
  }

  /**
   * Other values only come from our own code (an Instant in {@code @event}, say); those whose text
   * is plain data are written, anything else is left empty rather than asked for its toString().
   */
  static String plain(Object value) {
    return value instanceof CharSequence
            || value instanceof Character
            || value instanceof Enum<?>
            || value instanceof TemporalAccessor
            || value instanceof UUID
            || value instanceof URI
        ? value.toString()
        : "";
  }

  private static String json(Object value) {
    StringBuilder sb = new StringBuilder();
    StructureWriter.write(value, StructureWriter.Flavor.JSON, sb);
    return sb.toString();
  }

  public static String number(Number n) {
    return switch (n) {
      case BigDecimal d -> d.toPlainString();
      case Double d -> Double.toString(d);
      case Float f -> Float.toString(f);
      default -> n.toString();
    };
  }

  public static boolean isFinite(Number n) {
    return switch (n) {
      case Double d -> Double.isFinite(d);
      case Float f -> Float.isFinite(f);
      default -> true;
    };
  }

  /** The number as a BigDecimal, or null for NaN and infinities. */
  public static BigDecimal decimal(Number n) {
    return switch (n) {
      case BigDecimal d -> d;
      case BigInteger i -> new BigDecimal(i);
      case Double d -> Double.isFinite(d) ? BigDecimal.valueOf(d) : null;
      case Float f -> Float.isFinite(f) ? new BigDecimal(Float.toString(f)) : null;
      default -> BigDecimal.valueOf(n.longValue());
    };
  }
}
