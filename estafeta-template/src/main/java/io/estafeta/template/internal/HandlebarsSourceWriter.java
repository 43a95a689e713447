package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.util.List;

/**
 * Prints the checked template back as Handlebars source: every output becomes a call to its escape
 * helper ({@code {{x}}} → {@code {{__e_json_value x}}}, {@code {{upper x}}} → {@code
 * {{__e_json_string (upper x)}}}), expressions are printed canonically, and literal text is written
 * so Handlebars reads it as text.
 *
 * <p>Handlebars would read an opening brace or a backslash right before a tag as part of it (three
 * braces open an unescaped output; a backslash escapes the tag), and a closing brace right after a
 * tag as a third closing brace. There we put a space between and remove it again with whitespace
 * control (the tag gets a {@code ~} on that side), which strips exactly that space.
 */
public final class HandlebarsSourceWriter {
  private final SourceText source;
  private final StringBuilder out;
  private int lastClose = -1;

  private HandlebarsSourceWriter(SourceText source) {
    this.source = source;
    this.out = new StringBuilder(source.text().length() + 64);
  }

  public static String write(SourceText source, List<Node> nodes, Plan plan)
      throws TemplateException {
    HandlebarsSourceWriter w = new HandlebarsSourceWriter(source);
    for (int i = 0; i < nodes.size(); i++) {
      switch (nodes.get(i)) {
        case Node.Text t -> w.text(plan.apply(i, t.text()), t.offset());
        case Node.Output o -> {
          Escape escape = plan.escape(i);
          if (escape == null) {
            throw new IllegalStateException("no escape decided for the output at " + o.offset());
          }
          w.text(plan.around(i, 0), o.offset());
          StringBuilder body = new StringBuilder(escape.helperName()).append(' ');
          o.expr().writeHandlebars(body);
          w.tag(body);
          w.text(plan.around(i, 1), o.offset());
        }
        case Node.Open o -> w.tag(block("#" + o.kind().helper(), o.param()));
        case Node.Else e -> w.tag(new StringBuilder("else"));
        case Node.ElseChain c -> w.tag(block("else " + c.kind().helper(), c.param()));
        case Node.Close c -> w.tag(new StringBuilder("/").append(c.kind().helper()));
      }
    }
    return w.out.toString();
  }

  private static StringBuilder block(String head, Expr param) {
    StringBuilder b = new StringBuilder(head).append(' ');
    param.writeHandlebars(b);
    return b;
  }

  private void text(String s, int offset) throws TemplateException {
    if (s.isEmpty()) {
      return;
    }
    if (lastClose >= 0 && s.charAt(0) == '}') {
      out.insert(lastClose, '~');
      out.append(' ');
    } else if (!out.isEmpty() && out.charAt(out.length() - 1) == '{' && s.charAt(0) == '{') {
      throw source.error(
          offset, "Removing the comment before this point joins { and { into {{; add a space.");
    }
    out.append(s);
    lastClose = -1;
  }

  private void tag(CharSequence body) {
    char last = out.isEmpty() ? ' ' : out.charAt(out.length() - 1);
    boolean separate = last == '{' || last == '\\';
    if (separate) {
      out.append(' ');
    }
    out.append("{{");
    if (separate) {
      out.append('~');
    }
    out.append(body);
    lastClose = out.length();
    out.append("}}");
  }
}
