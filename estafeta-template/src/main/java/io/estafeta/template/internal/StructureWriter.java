package io.estafeta.template.internal;

import java.util.List;
import java.util.Map;

/**
 * Writes a data value (Map, List, String, Number, Boolean, null) as JSON, or as YAML flow style:
 * JSON's shape with YAML double-quoted strings, so it reads back in YAML as the same value.
 */
public final class StructureWriter {
  /** Which syntax strings and separators follow. */
  public enum Flavor {
    JSON,
    YAML
  }

  /** Event data is at most 1,000 deep (Jackson's own limit); deeper is not data we made. */
  static final int MAX_DEPTH = 1000;

  private StructureWriter() {}

  public static void write(Object value, Flavor flavor, StringBuilder out) {
    write(value, flavor, out, 0);
  }

  private static void write(Object value, Flavor flavor, StringBuilder out, int depth) {
    if (depth > MAX_DEPTH) {
      throw new RenderFailure("A value is nested more than " + MAX_DEPTH + " levels deep.");
    }
    switch (value) {
      case null -> out.append("null");
      case String s -> string(s, flavor, out);
      case Boolean b -> out.append(b.booleanValue());
      case Number n -> number(n, flavor, out);
      case JsonValue j -> write(j.value(), flavor, out, depth);
      case Map<?, ?> m -> {
        out.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            out.append(flavor == Flavor.JSON ? "," : ", ");
          }
          first = false;
          string(String.valueOf(e.getKey()), flavor, out);
          out.append(flavor == Flavor.JSON ? ":" : ": ");
          write(e.getValue(), flavor, out, depth + 1);
        }
        out.append('}');
      }
      case List<?> l -> {
        out.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            out.append(flavor == Flavor.JSON ? "," : ", ");
          }
          write(l.get(i), flavor, out, depth + 1);
        }
        out.append(']');
      }
      default -> string(ValueText.plain(value), flavor, out);
    }
  }

  private static void string(String s, Flavor flavor, StringBuilder out) {
    out.append('"');
    if (flavor == Flavor.JSON) {
      JsonEscaping.string(s, out);
    } else {
      YamlEscaping.doubleQuoted(s, out);
    }
    out.append('"');
  }

  private static void number(Number n, Flavor flavor, StringBuilder out) {
    if (flavor == Flavor.YAML) {
      YamlEscaping.number(n, out);
    } else if (ValueText.isFinite(n)) {
      out.append(ValueText.number(n));
    } else {
      // JSON has no NaN or Infinity; Jackson writes them as strings too.
      out.append('"').append(ValueText.number(n)).append('"');
    }
  }
}
