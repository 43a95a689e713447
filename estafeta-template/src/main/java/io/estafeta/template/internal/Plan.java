package io.estafeta.template.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the context scan decided: the escape of every output, and edits to the literal text (YAML
 * and CSV values that mix text and {@code {{ }}} are turned into quoted strings).
 */
public final class Plan {
  /**
   * Replace {@code remove} chars at {@code offset} with {@code insert}. On an output node, offset 0
   * means "just before the tag" and 1 "just after".
   */
  record Edit(int offset, int remove, String insert) {}

  private final Escape[] escapes;
  private final Map<Integer, List<Edit>> edits = new HashMap<>();

  Plan(int nodes) {
    this.escapes = new Escape[nodes];
  }

  void escape(int node, Escape escape) {
    escapes[node] = escape;
  }

  public Escape escape(int node) {
    return escapes[node];
  }

  void edit(int node, int offset, int remove, String insert) {
    edits.computeIfAbsent(node, k -> new ArrayList<>()).add(new Edit(offset, remove, insert));
  }

  /** The text of a text node with its edits applied. */
  public String apply(int node, String text) {
    List<Edit> list = edits.get(node);
    if (list == null) {
      return text;
    }
    list.sort(Comparator.comparingInt(Edit::offset));
    StringBuilder sb = new StringBuilder(text.length() + list.size() * 2);
    int at = 0;
    for (Edit e : list) {
      sb.append(text, at, e.offset()).append(e.insert());
      at = e.offset() + e.remove();
    }
    return sb.append(text, at, text.length()).toString();
  }

  /** Text inserted just before (offset 0) or after (offset 1) an output node. */
  public String around(int node, int side) {
    List<Edit> list = edits.get(node);
    if (list == null) {
      return "";
    }
    StringBuilder sb = new StringBuilder();
    for (Edit e : list) {
      if (e.offset() == side) {
        sb.append(e.insert());
      }
    }
    return sb.toString();
  }
}
