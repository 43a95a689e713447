package io.estafeta.template.internal;

import io.estafeta.template.Target;
import io.estafeta.template.TemplateException;
import java.util.List;

/**
 * Decides, for every {@code {{ }}}, where in the target format it lands, by scanning the literal
 * text around it with a small state machine per format.
 *
 * <p>Approximation: the scan is linear, with block tags ({@code {{#if}} {{else}} {{/if}}} ...)
 * treated as zero-width, as if every branch were taken once, in order. A template whose branches
 * leave the text in different states (an {@code {{#if}}} that opens a string closed after {@code
 * {{/if}}}) can get a wrong context; saving a webhook renders it against samples and parses the
 * result ({@link io.estafeta.template.RenderedCheck}), which is the safety net. A value escaped for
 * the wrong place still cannot inject structure in the common cases, because every escaper also
 * escapes that format's quote and markup characters. {@code {{{raw}}}} outputs are also zero-width:
 * what they write is the template author's business.
 */
public abstract sealed class ContextScanner
    permits UniformScanner, UrlScanner, JsonScanner, XmlScanner, YamlScanner, CsvScanner {
  protected final SourceText source;
  protected final List<Node> nodes;
  protected final Plan plan;

  /** The node being scanned and, in a text node, the char's offset. */
  protected int node;

  protected int offset;

  ContextScanner(SourceText source, List<Node> nodes) {
    this.source = source;
    this.nodes = nodes;
    this.plan = new Plan(nodes.size());
  }

  public static Plan plan(Target target, SourceText source, List<Node> nodes)
      throws TemplateException {
    ContextScanner scanner =
        switch (target) {
          case URL -> new UrlScanner(source, nodes);
          case HEADER_VALUE -> UniformScanner.header(source, nodes);
          case JSON -> new JsonScanner(source, nodes);
          case XML -> new XmlScanner(source, nodes);
          case TEXT -> new UniformScanner(source, nodes, Escape.TEXT);
          case CSV -> new CsvScanner(source, nodes);
          case YAML -> new YamlScanner(source, nodes);
          case FORM -> new UniformScanner(source, nodes, Escape.FORM);
        };
    return scanner.scan();
  }

  private Plan scan() throws TemplateException {
    for (node = 0; node < nodes.size(); node++) {
      switch (nodes.get(node)) {
        case Node.Text t -> {
          String text = t.text();
          for (offset = 0; offset < text.length(); offset++) {
            character(text.charAt(offset));
          }
        }
        case Node.Output o -> {
          offset = 0;
          if (o.raw()) {
            raw(o);
          } else {
            hole(o);
          }
        }
        default -> {}
      }
    }
    end();
    return plan;
  }

  abstract void character(char c) throws TemplateException;

  /** An escaped output: must end with {@code plan.escape(node, ...)} now or when resolved. */
  abstract void hole(Node.Output o) throws TemplateException;

  void raw(Node.Output o) throws TemplateException {
    plan.escape(node, Escape.RAW);
  }

  void end() throws TemplateException {}

  protected TemplateException error(String message) {
    Node n = nodes.get(node);
    return source.error(n instanceof Node.Text t ? t.offset() + offset : n.offset(), message);
  }

  protected TemplateException errorAt(int nodeIndex, String message) {
    return source.error(nodes.get(nodeIndex).offset(), message);
  }
}
