package io.estafeta.template.internal;

import java.io.Writer;

/** Collects the output and stops the render the moment it would pass the cap. */
final class BoundedWriter extends Writer {
  private final StringBuilder out = new StringBuilder(512);
  private final int max;

  BoundedWriter(int max) {
    this.max = max;
  }

  private void room(int n) {
    if ((long) out.length() + n > max) {
      throw RenderBudget.tooLarge(max);
    }
  }

  @Override
  public void write(int c) {
    room(1);
    out.append((char) c);
  }

  @Override
  public void write(char[] buffer, int off, int len) {
    room(len);
    out.append(buffer, off, len);
  }

  @Override
  public void write(String s, int off, int len) {
    room(len);
    out.append(s, off, off + len);
  }

  @Override
  public Writer append(CharSequence csq) {
    CharSequence s = csq == null ? "null" : csq;
    room(s.length());
    out.append(s);
    return this;
  }

  @Override
  public Writer append(CharSequence csq, int start, int end) {
    CharSequence s = csq == null ? "null" : csq;
    room(end - start);
    out.append(s, start, end);
    return this;
  }

  @Override
  public Writer append(char c) {
    write(c);
    return this;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}

  @Override
  public String toString() {
    return out.toString();
  }
}
