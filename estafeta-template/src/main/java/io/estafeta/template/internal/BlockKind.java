package io.estafeta.template.internal;

import java.util.Locale;

/** The only block helpers a template may open. */
public enum BlockKind {
  IF(false),
  UNLESS(false),
  EACH(true),
  WITH(true);

  private final boolean changesContext;

  BlockKind(boolean changesContext) {
    this.changesContext = changesContext;
  }

  /** The Handlebars helper name. */
  public String helper() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Whether {@code this} (and so {@code ../}) moves inside the block's main branch. */
  public boolean changesContext() {
    return changesContext;
  }

  public static BlockKind named(String name) {
    for (BlockKind k : values()) {
      if (k.helper().equals(name)) {
        return k;
      }
    }
    return null;
  }
}
