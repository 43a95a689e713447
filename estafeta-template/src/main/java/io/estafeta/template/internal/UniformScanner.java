package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.util.List;

/** Text, form bodies and header values: one escape everywhere. */
final class UniformScanner extends ContextScanner {
  private final Escape escape;
  private final boolean header;

  UniformScanner(SourceText source, List<Node> nodes, Escape escape) {
    this(source, nodes, escape, false);
  }

  private UniformScanner(SourceText source, List<Node> nodes, Escape escape, boolean header) {
    super(source, nodes);
    this.escape = escape;
    this.header = header;
  }

  static UniformScanner header(SourceText source, List<Node> nodes) {
    return new UniformScanner(source, nodes, Escape.HEADER, true);
  }

  @Override
  void character(char c) throws TemplateException {
    if (header && (c == '\r' || c == '\n' || c == 0)) {
      throw error("A header value cannot contain a line break or a NUL character.");
    }
  }

  @Override
  void hole(Node.Output o) {
    plan.escape(node, escape);
  }

  @Override
  void raw(Node.Output o) throws TemplateException {
    if (header) {
      throw error(
          "Unescaped output ({{{ }}} or {{& }}) is only allowed in bodies, not in a header value.");
    }
    super.raw(o);
  }
}
