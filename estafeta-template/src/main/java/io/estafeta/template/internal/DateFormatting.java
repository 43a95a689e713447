package io.estafeta.template.internal;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The {@code date} helper: {@code {{date value "pattern" "Zone/Id"}}}. The value is ISO-8601 (an
 * instant, a date-time with or without offset, or a date; without an offset it is read as UTC) or
 * epoch milliseconds; the pattern is a java.time pattern (default ISO-8601 with offset), the zone
 * an IANA id or offset (default UTC). Month and day names are English. java.time values passed in
 * by our own code (an Instant as {@code @event.occurredAt}) are taken as they are.
 */
public final class DateFormatting {
  private static final int CACHE_LIMIT = 512;
  private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();
  private static final int MAX_INPUT = 100;

  private DateFormatting() {}

  /** Null when the pattern is fine, else why not. */
  public static String patternProblem(String pattern) {
    try {
      formatter(pattern);
      return null;
    } catch (IllegalArgumentException e) {
      return "\"" + pattern + "\" is not a valid date pattern (" + e.getMessage() + ").";
    }
  }

  /** Null when the zone is known, else why not. */
  public static String zoneProblem(String zone) {
    try {
      ZoneId.of(zone);
      return null;
    } catch (DateTimeException e) {
      return "\""
          + zone
          + "\" is not a known time zone; use an id such as \"America/Santiago\" or \"UTC\".";
    }
  }

  public static String format(Object value, Object pattern, Object zone) {
    if (value == null || "".equals(value)) {
      return null;
    }
    ZonedDateTime at = read(value);
    ZoneId zoneId = ZoneOffset.UTC;
    if (zone != null) {
      String problem = zoneProblem(ValueText.of(zone));
      if (problem != null) {
        throw new RenderFailure("date: " + problem);
      }
      zoneId = ZoneId.of(ValueText.of(zone));
    }
    DateTimeFormatter f = DateTimeFormatter.ISO_OFFSET_DATE_TIME;
    if (pattern != null) {
      try {
        f = formatter(ValueText.of(pattern));
      } catch (IllegalArgumentException e) {
        throw new RenderFailure("date: " + patternProblem(ValueText.of(pattern)));
      }
    }
    try {
      return f.format(at.withZoneSameInstant(zoneId));
    } catch (DateTimeException e) {
      throw new RenderFailure("date: cannot format the date: " + e.getMessage());
    }
  }

  private static DateTimeFormatter formatter(String pattern) {
    DateTimeFormatter f = FORMATTERS.get(pattern);
    if (f == null) {
      f = DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH);
      if (FORMATTERS.size() < CACHE_LIMIT) {
        FORMATTERS.put(pattern, f);
      }
    }
    return f;
  }

  private static ZonedDateTime read(Object value) {
    switch (value) {
      case Number n -> {
        return Instant.ofEpochMilli(n.longValue()).atZone(ZoneOffset.UTC);
      }
      case Instant i -> {
        return i.atZone(ZoneOffset.UTC);
      }
      case ZonedDateTime z -> {
        return z;
      }
      case OffsetDateTime o -> {
        return o.toZonedDateTime();
      }
      case LocalDateTime l -> {
        return l.atZone(ZoneOffset.UTC);
      }
      case LocalDate d -> {
        return d.atStartOfDay(ZoneOffset.UTC);
      }
      default -> {}
    }
    String s = ValueText.of(value).strip();
    if (s.length() <= MAX_INPUT) {
      try {
        TemporalAccessor t =
            DateTimeFormatter.ISO_DATE_TIME.parseBest(s, ZonedDateTime::from, LocalDateTime::from);
        return t instanceof ZonedDateTime z ? z : ((LocalDateTime) t).atZone(ZoneOffset.UTC);
      } catch (DateTimeException notDateTime) {
        try {
          return LocalDate.parse(s).atStartOfDay(ZoneOffset.UTC);
        } catch (DateTimeException notDate) {
          // fall through to the message below
        }
      }
    }
    String shown = s.length() > 40 ? s.substring(0, 40) + "…" : s;
    throw new RenderFailure(
        "date: \"" + shown + "\" is not an ISO-8601 date (like 2024-05-01T13:45:00Z).");
  }
}
