package io.estafeta.template.internal;

import java.util.Locale;

/**
 * The places a {@code {{ }}} can land, each with the escaping that keeps a value inside that place.
 * Every output of a compiled template is a call to one of these helpers ({@link #helperName()}).
 */
public enum Escape {
  URL_PATH {
    @Override
    void write(Object value, StringBuilder out) {
      UrlEscaping.pathSegment(ValueText.of(value), out);
    }
  },
  URL_QUERY {
    @Override
    void write(Object value, StringBuilder out) {
      UrlEscaping.component(ValueText.of(value), out);
    }
  },
  URL_FRAGMENT {
    @Override
    void write(Object value, StringBuilder out) {
      UrlEscaping.component(ValueText.of(value), out);
    }
  },
  /** CR, LF, NUL and the other C0 controls but tab (and DEL) become a space. */
  HEADER {
    @Override
    void write(Object value, StringBuilder out) {
      String s = ValueText.of(value);
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        out.append((c < 0x20 && c != '\t') || c == 0x7F ? ' ' : c);
      }
    }
  },
  JSON_STRING {
    @Override
    void write(Object value, StringBuilder out) {
      JsonEscaping.string(ValueText.of(value), out);
    }
  },
  /** A complete JSON value: missing is {@code null}, strings quoted, the rest as JSON. */
  JSON_VALUE {
    @Override
    void write(Object value, StringBuilder out) {
      StructureWriter.write(value, StructureWriter.Flavor.JSON, out);
    }
  },
  XML_TEXT {
    @Override
    void write(Object value, StringBuilder out) {
      XmlEscaping.text(ValueText.of(value), out);
    }
  },
  XML_ATTRIBUTE {
    @Override
    void write(Object value, StringBuilder out) {
      XmlEscaping.attribute(ValueText.of(value), out);
    }
  },
  XML_CDATA {
    @Override
    void write(Object value, StringBuilder out) {
      XmlEscaping.cdata(ValueText.of(value), out);
    }
  },
  XML_COMMENT {
    @Override
    void write(Object value, StringBuilder out) {
      XmlEscaping.comment(ValueText.of(value), out);
    }
  },
  /** A complete YAML node: missing is {@code null}. */
  YAML_VALUE {
    @Override
    void write(Object value, StringBuilder out) {
      YamlEscaping.value(value, out);
    }
  },
  YAML_DOUBLE_QUOTED {
    @Override
    void write(Object value, StringBuilder out) {
      YamlEscaping.doubleQuoted(ValueText.of(value), out);
    }
  },
  YAML_COMMENT {
    @Override
    void write(Object value, StringBuilder out) {
      YamlEscaping.comment(ValueText.of(value), out);
    }
  },
  CSV_FIELD {
    @Override
    void write(Object value, StringBuilder out) {
      CsvEscaping.field(ValueText.of(value), out);
    }
  },
  CSV_QUOTED {
    @Override
    void write(Object value, StringBuilder out) {
      CsvEscaping.quoted(ValueText.of(value), out);
    }
  },
  FORM {
    @Override
    void write(Object value, StringBuilder out) {
      UrlEscaping.form(ValueText.of(value), out);
    }
  },
  TEXT {
    @Override
    void write(Object value, StringBuilder out) {
      out.append(ValueText.of(value));
    }
  },
  /** {@code {{{x}}}} in a body: the author takes responsibility for the value's text. */
  RAW {
    @Override
    void write(Object value, StringBuilder out) {
      out.append(ValueText.of(value));
    }
  };

  private final String helperName = "__e_" + name().toLowerCase(Locale.ROOT);

  abstract void write(Object value, StringBuilder out);

  /** Escapes a value for this place. */
  public String apply(Object value) {
    StringBuilder out = new StringBuilder();
    write(value, out);
    return out.toString();
  }

  public String helperName() {
    return helperName;
  }
}
