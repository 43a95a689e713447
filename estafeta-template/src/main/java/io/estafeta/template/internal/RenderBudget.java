package io.estafeta.template.internal;

/**
 * What one render may still spend. Handlebars buffers every block (an {@code #each} builds its
 * whole output before writing it), so the output cap is also counted here, as values and loop
 * passes are produced, not only when the final writer receives them.
 */
public final class RenderBudget {
  /** Handlebars data key under which a render's budget travels to the helpers. */
  public static final String DATA_KEY = "__estafeta_budget";

  /** Helper work (upper, join, json...) may exceed the output this many times over. */
  static final int WORK_FACTOR = 8;

  private final long maxIterations;
  private final long maxChars;
  private final long maxWork;
  private long iterations;
  private long chars;
  private long work;

  public RenderBudget(long maxIterations, int maxChars) {
    this.maxIterations = maxIterations;
    this.maxChars = maxChars;
    this.maxWork = (long) maxChars * WORK_FACTOR;
  }

  /** One {@code #each} pass. */
  public void iteration() {
    if (++iterations > maxIterations) {
      throw new RenderFailure(
          "The template loops more than "
              + maxIterations
              + " times in one render (every {{#each}} pass counts, and nested loops multiply).");
    }
  }

  /** Chars that will be part of the output. */
  public void produced(long n) {
    chars += n;
    work += n;
    if (chars > maxChars) {
      throw tooLarge(maxChars);
    }
    if (work > maxWork) {
      throw tooMuchWork();
    }
  }

  /** Chars a helper built that may never reach the output (subexpression results). */
  public void worked(long n) {
    work += n;
    if (work > maxWork) {
      throw tooMuchWork();
    }
  }

  public long producedSoFar() {
    return chars;
  }

  static RenderFailure tooLarge(long maxChars) {
    return new RenderFailure(
        "The rendered result is larger than " + describe(maxChars) + ", the limit.");
  }

  private RenderFailure tooMuchWork() {
    return new RenderFailure(
        "The template's helpers build more than "
            + describe(maxWork)
            + " of text in one render; simplify it.");
  }

  private static String describe(long chars) {
    if (chars % (1024 * 1024) == 0) {
      return chars / (1024 * 1024) + " MiB";
    }
    if (chars % 1024 == 0) {
      return chars / 1024 + " KiB";
    }
    return chars + " characters";
  }
}
