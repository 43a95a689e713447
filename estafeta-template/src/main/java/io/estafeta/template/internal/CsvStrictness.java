package io.estafeta.template.internal;

import io.estafeta.template.ParseProblem;

/**
 * RFC 4180's quoting rules, which Jackson's CSV reader is lenient about: a quote may only open a
 * field, and a closing quote must be followed by a comma, a line break or the end.
 */
public final class CsvStrictness {
  private CsvStrictness() {}

  private enum State {
    FIELD_START,
    UNQUOTED,
    QUOTED,
    QUOTE_IN_QUOTED
  }

  public static ParseProblem check(String s) {
    State state = State.FIELD_START;
    int line = 1;
    int column = 1;
    int openLine = 1;
    int openColumn = 1;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean lineEnd = c == '\n' || c == '\r';
      switch (state) {
        case FIELD_START -> {
          if (c == '"') {
            state = State.QUOTED;
            openLine = line;
            openColumn = column;
          } else if (c != ',' && !lineEnd) {
            state = State.UNQUOTED;
          }
        }
        case UNQUOTED -> {
          if (c == '"') {
            return new ParseProblem(
                line,
                column,
                "A quote inside a field that does not start with one; quote the whole field and"
                    + " double the quote.");
          }
          if (c == ',' || lineEnd) {
            state = State.FIELD_START;
          }
        }
        case QUOTED -> {
          if (c == '"') {
            state = State.QUOTE_IN_QUOTED;
          }
        }
        case QUOTE_IN_QUOTED -> {
          if (c == '"') {
            state = State.QUOTED;
          } else if (c == ',' || lineEnd) {
            state = State.FIELD_START;
          } else {
            return new ParseProblem(
                line, column, "Only a comma or a line break may follow a field's closing quote.");
          }
        }
      }
      if (c == '\n' || (c == '\r' && (i + 1 == s.length() || s.charAt(i + 1) != '\n'))) {
        line++;
        column = 1;
      } else if (c != '\r') {
        column++;
      }
    }
    if (state == State.QUOTED) {
      return new ParseProblem(openLine, openColumn, "This quoted field is never closed.");
    }
    return null;
  }
}
