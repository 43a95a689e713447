package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.util.List;

/**
 * URL templates: {@code {{ }}} may stand in the path, the query and the fragment, never in the
 * scheme, user info, host or port, which decide where the request goes.
 */
final class UrlScanner extends ContextScanner {
  private enum Part {
    SCHEME,
    AFTER_COLON,
    AFTER_SLASH,
    AUTHORITY,
    PATH,
    QUERY,
    FRAGMENT
  }

  private static final char HOLE = '\uFFFF';

  private Part part = Part.SCHEME;
  private final StringBuilder authority = new StringBuilder();
  private int authorityHole = -1;

  UrlScanner(SourceText source, List<Node> nodes) {
    super(source, nodes);
  }

  @Override
  void character(char c) throws TemplateException {
    switch (part) {
      case SCHEME -> {
        if (c == ':') {
          part = Part.AFTER_COLON;
        }
      }
      case AFTER_COLON -> part = c == '/' ? Part.AFTER_SLASH : Part.PATH;
      case AFTER_SLASH -> part = c == '/' ? Part.AUTHORITY : Part.PATH;
      case AUTHORITY -> {
        if (c == '/' || c == '?' || c == '#') {
          finishAuthority();
          part = c == '/' ? Part.PATH : c == '?' ? Part.QUERY : Part.FRAGMENT;
        } else {
          authority.append(c);
        }
      }
      case PATH -> {
        if (c == '?') {
          part = Part.QUERY;
        } else if (c == '#') {
          part = Part.FRAGMENT;
        }
      }
      case QUERY -> {
        if (c == '#') {
          part = Part.FRAGMENT;
        }
      }
      case FRAGMENT -> {}
    }
  }

  @Override
  void hole(Node.Output o) throws TemplateException {
    switch (part) {
      case SCHEME -> throw error(refused("scheme"));
      case AFTER_COLON, AFTER_SLASH -> throw error(refused("host"));
      case AUTHORITY -> {
        if (authorityHole < 0) {
          authorityHole = node;
        }
        authority.append(HOLE);
        plan.escape(node, Escape.URL_QUERY); // never used: finishAuthority throws
      }
      case PATH -> plan.escape(node, Escape.URL_PATH);
      case QUERY -> plan.escape(node, Escape.URL_QUERY);
      case FRAGMENT -> plan.escape(node, Escape.URL_FRAGMENT);
    }
  }

  @Override
  void raw(Node.Output o) throws TemplateException {
    throw error("Unescaped output ({{{ }}} or {{& }}) is not allowed in the URL.");
  }

  @Override
  void end() throws TemplateException {
    if (part == Part.AUTHORITY) {
      finishAuthority();
    }
  }

  /** Names the part of {@code user@host:port} where the first {@code {{ }}} stands. */
  private void finishAuthority() throws TemplateException {
    if (authorityHole < 0) {
      return;
    }
    String a = authority.toString();
    int hole = a.indexOf(HOLE);
    int at = a.lastIndexOf('@');
    String where;
    if (at > hole) {
      where = "user info";
    } else {
      int hostStart = at + 1;
      int close = a.indexOf(']', hostStart);
      int colon = a.indexOf(':', close >= 0 ? close : hostStart);
      where = colon >= 0 && colon < hole ? "port" : "host";
    }
    throw errorAt(authorityHole, refused(where));
  }

  private static String refused(String where) {
    return "{{ }} is not allowed in the URL's "
        + where
        + ": write the scheme, host and port out (https://api.example.com/...);"
        + " {{ }} can go in the path and the query.";
  }
}
