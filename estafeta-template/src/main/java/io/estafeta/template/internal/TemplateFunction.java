package io.estafeta.template.internal;

import java.util.List;
import java.util.Locale;

/** The helpers a template may call (contract §6), with their arity, checked at compile time. */
public enum TemplateFunction {
  /** {@code {{json x}}}: x as JSON. */
  JSON("json", 1, 1) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      return new JsonValue(a[0]);
    }
  },
  /** {@code {{default x "fallback"}}}: the fallback when x is missing, null or empty. */
  DEFAULT("default", 2, 2) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      return a[0] == null || "".equals(a[0]) ? a[1] : a[0];
    }
  },
  UPPER("upper", 1, 1) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      return a[0] == null ? null : charged(text(a[0]).toUpperCase(Locale.ROOT), budget);
    }
  },
  LOWER("lower", 1, 1) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      return a[0] == null ? null : charged(text(a[0]).toLowerCase(Locale.ROOT), budget);
    }
  },
  TRIM("trim", 1, 1) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      return a[0] == null ? null : text(a[0]).strip();
    }
  },
  /** {@code {{join list ", "}}}: the items' text, separated (default {@code ", "}). */
  JOIN("join", 1, 2) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      if (!(a[0] instanceof List<?> list)) {
        return a[0] == null ? null : text(a[0]);
      }
      String sep = a.length > 1 && a[1] != null ? text(a[1]) : ", ";
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < list.size(); i++) {
        int before = sb.length();
        if (i > 0) {
          sb.append(sep);
        }
        sb.append(text(list.get(i)));
        // Charged as it grows: a long list with a long separator stops early, not after building.
        budget.worked(sb.length() - before);
      }
      return sb.toString();
    }
  },
  /** {@code {{date x "yyyy-MM-dd" "America/Santiago"}}}. */
  DATE("date", 1, 3) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      return DateFormatting.format(a[0], a.length > 1 ? a[1] : null, a.length > 2 ? a[2] : null);
    }
  },
  EQ("eq", 2, 2) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      return Comparison.equal(a[0], a[1]);
    }
  },
  NE("ne", 2, 2) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      return !Comparison.equal(a[0], a[1]);
    }
  },
  GT("gt", 2, 2) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      Integer o = Comparison.order(a[0], a[1]);
      return o != null && o > 0;
    }
  },
  LT("lt", 2, 2) {
    @Override
    Object apply(Object[] a, RenderBudget budget) {
      Integer o = Comparison.order(a[0], a[1]);
      return o != null && o < 0;
    }
  };

  private final String helperName;
  private final int minArgs;
  private final int maxArgs;

  TemplateFunction(String helperName, int minArgs, int maxArgs) {
    this.helperName = helperName;
    this.minArgs = minArgs;
    this.maxArgs = maxArgs;
  }

  /** Runs the helper on its evaluated arguments. */
  abstract Object apply(Object[] args, RenderBudget budget);

  public String helperName() {
    return helperName;
  }

  public int minArgs() {
    return minArgs;
  }

  public int maxArgs() {
    return maxArgs;
  }

  public static TemplateFunction named(String name) {
    for (TemplateFunction f : values()) {
      if (f.helperName.equals(name)) {
        return f;
      }
    }
    return null;
  }

  public static String names() {
    StringBuilder sb = new StringBuilder();
    for (TemplateFunction f : values()) {
      sb.append(sb.isEmpty() ? "" : ", ").append(f.helperName);
    }
    return sb.toString();
  }

  private static String text(Object v) {
    return ValueText.of(v);
  }

  private static String charged(String s, RenderBudget budget) {
    budget.worked(s.length());
    return s;
  }
}
