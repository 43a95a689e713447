package io.estafeta.template.internal;

/**
 * A template as a flat sequence: literal text, outputs and block tags. Comments are dropped and
 * whitespace control ({@code ~}) is already applied to the texts.
 */
public sealed interface Node {
  /** Offset of the node in the template source. */
  int offset();

  record Text(String text, int offset) implements Node {}

  /**
   * {@code {{expr}}}, or with {@code raw} {@code {{{expr}}}} / {@code {{& expr}}}.
   *
   * @param raw written without escaping
   */
  record Output(Expr expr, boolean raw, int offset) implements Node {}

  record Open(BlockKind kind, Expr param, int offset) implements Node {}

  record Else(int offset) implements Node {}

  /** {@code {{else if x}}} / {@code {{else unless x}}}: the rest of the block is a nested one. */
  record ElseChain(BlockKind kind, Expr param, int offset) implements Node {}

  record Close(BlockKind kind, int offset) implements Node {}
}
