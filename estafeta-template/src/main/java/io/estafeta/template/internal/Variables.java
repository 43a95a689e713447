package io.estafeta.template.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The root-relative paths a template reads: {@code client.name}, {@code answers[].label} for a
 * field of the items of an {@code #each}, {@code answers[]} for {@code {{this}}} there. {@code
 * #with}, {@code #each} and {@code ../} are resolved; numeric segments ({@code items.0}) read as
 * {@code []}; {@code @root.x} is {@code x}; other {@code @} variables and literals are left out.
 */
public final class Variables {
  private Variables() {}

  private static final class Frame {
    final boolean pushed;
    boolean popped;

    Frame(boolean pushed) {
      this.pushed = pushed;
    }
  }

  public static Set<String> of(List<Node> nodes) {
    Set<String> out = new TreeSet<>();
    List<String> contexts = new ArrayList<>();
    contexts.add("");
    ArrayDeque<Frame> frames = new ArrayDeque<>();
    for (Node n : nodes) {
      switch (n) {
        case Node.Output o -> collect(o.expr(), contexts, out);
        case Node.Open o -> {
          collect(o.param(), contexts, out);
          if (o.kind().changesContext()) {
            String base = o.param() instanceof Expr.Path p ? resolve(p, contexts) : null;
            contexts.add(base == null ? null : o.kind() == BlockKind.EACH ? base + "[]" : base);
          }
          frames.push(new Frame(o.kind().changesContext()));
        }
        case Node.Else e -> leaveMainBranch(frames, contexts);
        case Node.ElseChain c -> {
          leaveMainBranch(frames, contexts);
          collect(c.param(), contexts, out);
        }
        case Node.Close c -> {
          Frame f = frames.pop();
          if (f.pushed && !f.popped) {
            contexts.removeLast();
          }
        }
        case Node.Text t -> {}
      }
    }
    return out;
  }

  /** An {@code {{else}}} branch runs in the context outside the block. */
  private static void leaveMainBranch(ArrayDeque<Frame> frames, List<String> contexts) {
    Frame f = frames.peek();
    if (f != null && f.pushed && !f.popped) {
      contexts.removeLast();
      f.popped = true;
    }
  }

  private static void collect(Expr e, List<String> contexts, Set<String> out) {
    switch (e) {
      case Expr.Path p -> {
        String v = resolve(p, contexts);
        if (v != null) {
          out.add(v);
        }
      }
      case Expr.Call c -> {
        for (Expr a : c.args()) {
          collect(a, contexts, out);
        }
      }
      case Expr.Literal l -> {}
    }
  }

  /** The path from the root, or null when it is not data or cannot be known. */
  private static String resolve(Expr.Path p, List<String> contexts) {
    List<String> segments = p.segments();
    String base;
    if (p.data()) {
      if (!segments.get(0).equals("root")) {
        return null;
      }
      base = "";
      segments = segments.subList(1, segments.size());
    } else {
      int i = contexts.size() - 1 - p.up();
      if (i < 0) {
        return null;
      }
      base = contexts.get(i);
    }
    if (base == null) {
      return null;
    }
    StringBuilder sb = new StringBuilder(base);
    for (String s : segments) {
      if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
        sb.append("[]");
      } else {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(s);
      }
    }
    return sb.isEmpty() ? null : sb.toString();
  }
}
