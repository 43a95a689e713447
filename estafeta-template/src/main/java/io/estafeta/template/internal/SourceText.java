package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.util.Arrays;

/** A template source with its line starts, to report offsets as the 1-based line and column. */
public final class SourceText {
  private final String text;
  private final int[] lineStarts;

  public SourceText(String text) {
    this.text = text;
    int[] starts = new int[16];
    int count = 1;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        if (count == starts.length) {
          starts = Arrays.copyOf(starts, count * 2);
        }
        starts[count++] = i + 1;
      }
    }
    this.lineStarts = Arrays.copyOf(starts, count);
  }

  public String text() {
    return text;
  }

  public int line(int offset) {
    int i = Arrays.binarySearch(lineStarts, Math.max(0, offset));
    return (i >= 0 ? i : -i - 2) + 1;
  }

  public int column(int offset) {
    return Math.max(0, offset) - lineStarts[line(offset) - 1] + 1;
  }

  public String where(int offset) {
    return "line " + line(offset) + ", column " + column(offset);
  }

  public TemplateException error(int offset, String message) {
    return new TemplateException(message, line(offset), column(offset));
  }
}
