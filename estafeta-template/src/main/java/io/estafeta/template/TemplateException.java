package io.estafeta.template;

/**
 * A template that cannot be saved: bad syntax, a refused construct, or a {@code {{ }}} in a place
 * no escaping can make safe. The message is meant for the person who wrote the template; {@link
 * #line()} and {@link #column()} point into its source (1-based, columns count UTF-16 chars).
 */
public final class TemplateException extends Exception {
  private static final long serialVersionUID = 1L;

  private final int line;
  private final int column;

  public TemplateException(String message, int line, int column) {
    super(message);
    this.line = line;
    this.column = column;
  }

  public int line() {
    return line;
  }

  public int column() {
    return column;
  }
}
