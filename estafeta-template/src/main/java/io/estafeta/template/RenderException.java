package io.estafeta.template;

/**
 * A render that had to stop: loop budget or output size exceeded, a bad helper argument (an
 * unreadable date, an unknown time zone), or a template nested too deeply for the stack.
 */
public final class RenderException extends Exception {
  private static final long serialVersionUID = 1L;

  public RenderException(String message) {
    super(message);
  }

  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
