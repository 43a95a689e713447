package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.util.List;

/**
 * XML: text, attribute values (either quote), CDATA and comments take values; tag names, attribute
 * names, unquoted attribute values, declarations and processing instructions do not.
 */
final class XmlScanner extends ContextScanner {
  private enum State {
    TEXT,
    LT,
    TAG_NAME,
    IN_TAG,
    ATTR_NAME,
    AFTER_ATTR_NAME,
    BEFORE_VALUE,
    ATTR_DOUBLE,
    ATTR_SINGLE,
    SELF_CLOSE,
    END_TAG,
    BANG,
    BANG_DASH,
    COMMENT,
    COMMENT_DASH,
    COMMENT_DASH_DASH,
    CDATA_OPEN,
    CDATA,
    CDATA_BRACKET,
    CDATA_BRACKETS,
    DECLARATION,
    PI,
    PI_QUESTION
  }

  private static final String CDATA_OPENER = "[CDATA[";

  private State state = State.TEXT;
  private int matched;
  private int declarationDepth;

  XmlScanner(SourceText source, List<Node> nodes) {
    super(source, nodes);
  }

  @Override
  void character(char c) {
    boolean space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
    state =
        switch (state) {
          case TEXT -> c == '<' ? State.LT : State.TEXT;
          case LT ->
              switch (c) {
                case '/' -> State.END_TAG;
                case '!' -> State.BANG;
                case '?' -> State.PI;
                default -> State.TAG_NAME;
              };
          case TAG_NAME -> space ? State.IN_TAG : afterName(c, State.TAG_NAME);
          case IN_TAG -> space ? State.IN_TAG : afterName(c, State.ATTR_NAME);
          case ATTR_NAME ->
              c == '='
                  ? State.BEFORE_VALUE
                  : space ? State.AFTER_ATTR_NAME : afterName(c, State.ATTR_NAME);
          case AFTER_ATTR_NAME ->
              c == '='
                  ? State.BEFORE_VALUE
                  : space ? State.AFTER_ATTR_NAME : afterName(c, State.ATTR_NAME);
          case BEFORE_VALUE ->
              c == '"'
                  ? State.ATTR_DOUBLE
                  : c == '\''
                      ? State.ATTR_SINGLE
                      : space ? State.BEFORE_VALUE : afterName(c, State.IN_TAG);
          case ATTR_DOUBLE -> c == '"' ? State.IN_TAG : State.ATTR_DOUBLE;
          case ATTR_SINGLE -> c == '\'' ? State.IN_TAG : State.ATTR_SINGLE;
          case SELF_CLOSE -> c == '>' ? State.TEXT : State.IN_TAG;
          case END_TAG -> c == '>' ? State.TEXT : State.END_TAG;
          case BANG -> {
            if (c == '-') {
              yield State.BANG_DASH;
            }
            if (c == '[') {
              matched = 1;
              yield State.CDATA_OPEN;
            }
            declarationDepth = 0;
            yield declaration(c);
          }
          case BANG_DASH -> c == '-' ? State.COMMENT : declaration(c);
          case COMMENT -> c == '-' ? State.COMMENT_DASH : State.COMMENT;
          case COMMENT_DASH -> c == '-' ? State.COMMENT_DASH_DASH : State.COMMENT;
          case COMMENT_DASH_DASH ->
              c == '>' ? State.TEXT : c == '-' ? State.COMMENT_DASH_DASH : State.COMMENT;
          case CDATA_OPEN -> {
            if (c != CDATA_OPENER.charAt(matched)) {
              declarationDepth = 1; // <![INCLUDE[ ... ]]> and the like
              yield declaration(c);
            }
            yield ++matched == CDATA_OPENER.length() ? State.CDATA : State.CDATA_OPEN;
          }
          case CDATA -> c == ']' ? State.CDATA_BRACKET : State.CDATA;
          case CDATA_BRACKET -> c == ']' ? State.CDATA_BRACKETS : State.CDATA;
          case CDATA_BRACKETS ->
              c == '>' ? State.TEXT : c == ']' ? State.CDATA_BRACKETS : State.CDATA;
          case DECLARATION -> declaration(c);
          case PI -> c == '?' ? State.PI_QUESTION : State.PI;
          case PI_QUESTION -> c == '>' ? State.TEXT : c == '?' ? State.PI_QUESTION : State.PI;
        };
  }

  private static State afterName(char c, State otherwise) {
    return c == '>' ? State.TEXT : c == '/' ? State.SELF_CLOSE : otherwise;
  }

  private State declaration(char c) {
    if (c == '[') {
      declarationDepth++;
    } else if (c == ']') {
      declarationDepth--;
    } else if (c == '>' && declarationDepth <= 0) {
      return State.TEXT;
    }
    return State.DECLARATION;
  }

  @Override
  void hole(Node.Output o) throws TemplateException {
    switch (state) {
      case TEXT -> plan.escape(node, Escape.XML_TEXT);
      case ATTR_DOUBLE, ATTR_SINGLE -> plan.escape(node, Escape.XML_ATTRIBUTE);
      case CDATA, CDATA_BRACKET, CDATA_BRACKETS -> {
        plan.escape(node, Escape.XML_CDATA);
        state = State.CDATA;
      }
      case COMMENT, COMMENT_DASH, COMMENT_DASH_DASH -> {
        plan.escape(node, Escape.XML_COMMENT);
        state = State.COMMENT;
      }
      case LT, TAG_NAME, END_TAG -> throw error("{{ }} is not allowed in an XML tag name.");
      case IN_TAG, ATTR_NAME, AFTER_ATTR_NAME, SELF_CLOSE ->
          throw error(
              "{{ }} is not allowed as an XML attribute name; use it in a value: name=\"{{...}}\".");
      case BEFORE_VALUE ->
          throw error("An XML attribute value must be in quotes: name=\"{{...}}\".");
      case BANG, BANG_DASH, CDATA_OPEN, DECLARATION ->
          throw error("{{ }} is not allowed in an XML declaration (<!...>).");
      case PI, PI_QUESTION ->
          throw error("{{ }} is not allowed in an XML processing instruction (<?...?>).");
    }
  }
}
