package io.estafeta.core.webhook;

import io.estafeta.template.Target;
import java.util.Locale;
import java.util.Optional;

/** A body's format: how its template is escaped and checked, and its default Content-Type. */
public enum BodyFormat {
  JSON("application/json", Target.JSON),
  XML("application/xml", Target.XML),
  TEXT("text/plain; charset=utf-8", Target.TEXT),
  CSV("text/csv; charset=utf-8", Target.CSV),
  YAML("application/yaml", Target.YAML),
  FORM("application/x-www-form-urlencoded", Target.FORM);

  private final String contentType;
  private final Target target;

  BodyFormat(String contentType, Target target) {
    this.contentType = contentType;
    this.target = target;
  }

  public String contentType() {
    return contentType;
  }

  public Target target() {
    return target;
  }

  /** The name used in the API: {@code json}, {@code xml}, … */
  public String apiName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<BodyFormat> fromApiName(String name) {
    for (BodyFormat f : values()) {
      if (f.apiName().equals(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
