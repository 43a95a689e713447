package io.estafeta.template;

/**
 * Bounds on one template: its source, the output of one render and the number of {@code #each}
 * passes one render may make (counted across all loops, so nested loops multiply).
 *
 * @param maxSourceChars longest template source, in chars
 * @param maxOutputChars longest rendered output, in chars
 * @param maxIterations most {@code #each} iterations in one render
 */
public record Limits(int maxSourceChars, int maxOutputChars, long maxIterations) {
  /** 64 KiB of source, 1 MiB of output, 10,000 loop passes (contract §6). */
  public static final Limits DEFAULTS = new Limits(64 * 1024, 1024 * 1024, 10_000);

  public Limits {
    if (maxSourceChars < 1 || maxOutputChars < 1 || maxIterations < 0) {
      throw new IllegalArgumentException(
          "limits must be positive: "
              + maxSourceChars
              + ", "
              + maxOutputChars
              + ", "
              + maxIterations);
    }
  }
}
