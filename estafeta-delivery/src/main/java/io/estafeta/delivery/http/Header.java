package io.estafeta.delivery.http;

import java.util.Objects;

/** One HTTP header field, in the order it is sent or was received. */
public record Header(String name, String value) {

  public Header {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("a header name is not empty");
    }
    // Last line of defence against header injection; templates already replace these.
    if (hasLineBreak(name) || hasLineBreak(value)) {
      throw new IllegalArgumentException("header " + name.strip() + " contains CR, LF or NUL");
    }
  }

  private static boolean hasLineBreak(String text) {
    return text.indexOf('\r') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\0') >= 0;
  }
}
