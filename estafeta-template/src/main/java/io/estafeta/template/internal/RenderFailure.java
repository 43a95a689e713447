package io.estafeta.template.internal;

/**
 * Stops a render from inside Handlebars (helpers and the writer cannot throw checked exceptions).
 * The template turns it into a {@link io.estafeta.template.RenderException} with this message.
 */
public final class RenderFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RenderFailure(String message) {
    // No stack trace: it is an expected outcome, and budgets may throw it often.
    super(message, null, false, false);
  }
}
