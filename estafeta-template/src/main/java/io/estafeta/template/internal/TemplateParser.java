package io.estafeta.template.internal;

import io.estafeta.template.TemplateException;
import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Our own reading of the Handlebars syntax a template may use. We parse, check and then print the
 * template back for Handlebars (see {@link HandlebarsSourceWriter}), so Handlebars only ever sees
 * constructs we understood: every double opening brace opens a tag here (a backslash before it has
 * no special meaning), partials, decorators, raw blocks, delimiter changes, inverted sections,
 * block parameters and named arguments are refused, blocks are limited to if/unless/each/with,
 * helpers to {@link TemplateFunction}, and nesting is bounded (the parser itself never recurses on
 * blocks).
 */
public final class TemplateParser {
  static final int MAX_BLOCK_DEPTH = 100;
  static final int MAX_EXPRESSION_DEPTH = 10;

  /**
   * Handlebars' lexer slows down steeply with path length (80 parts: 0.3 s); real data is shallow.
   */
  static final int MAX_PATH_SEGMENTS = 20;

  private static final Pattern NUMBER = Pattern.compile("-?[0-9]+(\\.[0-9]+)?");
  private static final String NOT_ID = "!\"#%&'()*+,./;<=>@[\\]^`{|}~";
  private static final Set<String> DATA_VARIABLES =
      Set.of("event", "account", "delivery", "index", "first", "last", "key", "root");

  private final SourceText source;
  private final String s;
  private final int len;
  private int p;
  private final List<Node> nodes = new ArrayList<>();
  private final ArrayDeque<OpenBlock> open = new ArrayDeque<>();
  private boolean stripNextText;
  private int adjacentText = -1;

  private static final class OpenBlock {
    final BlockKind kind;
    final int offset;
    boolean sawElse;

    OpenBlock(BlockKind kind, int offset) {
      this.kind = kind;
      this.offset = offset;
    }
  }

  private TemplateParser(SourceText source) {
    this.source = source;
    this.s = source.text();
    this.len = s.length();
  }

  public static List<Node> parse(SourceText source) throws TemplateException {
    TemplateParser parser = new TemplateParser(source);
    parser.run();
    return List.copyOf(parser.nodes);
  }

  private void run() throws TemplateException {
    while (p < len) {
      int j = s.indexOf("{{", p);
      addText(p, j < 0 ? len : j);
      if (j < 0) {
        break;
      }
      p = j;
      tag();
    }
    if (!open.isEmpty()) {
      OpenBlock b = open.peek();
      throw source.error(
          b.offset,
          "{{#" + b.kind.helper() + "}} is never closed: add {{/" + b.kind.helper() + "}}.");
    }
  }

  private void addText(int from, int to) {
    int start = from;
    if (stripNextText) {
      while (start < to && Character.isWhitespace(s.charAt(start))) {
        start++;
      }
      stripNextText = false;
    }
    adjacentText = -1;
    if (start < to) {
      nodes.add(new Node.Text(s.substring(start, to), start));
      adjacentText = nodes.size() - 1;
    }
  }

  /** Whitespace control ({@code ~}), applied here so later stages see the final text. */
  private void stripAdjacentText() {
    if (adjacentText < 0) {
      return;
    }
    Node.Text t = (Node.Text) nodes.get(adjacentText);
    String text = t.text();
    int end = text.length();
    while (end > 0 && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    if (end == 0) {
      nodes.remove(adjacentText);
    } else {
      nodes.set(adjacentText, new Node.Text(text.substring(0, end), t.offset()));
    }
  }

  private void tag() throws TemplateException {
    int start = p;
    if (s.startsWith("{{{{", p)) {
      throw source.error(start, "Raw blocks ({{{{raw}}}}) are not supported.");
    }
    boolean triple = s.startsWith("{{{", p);
    p += triple ? 3 : 2;
    if (at('~')) {
      p++;
      stripAdjacentText();
    }
    adjacentText = -1;
    if (triple) {
      Expr e = output(start);
      close(start, true);
      nodes.add(new Node.Output(e, true, start));
      return;
    }
    char c = p < len ? s.charAt(p) : '\0';
    switch (c) {
      case '!' -> comment(start);
      case '#' -> {
        p++;
        openBlock(start);
      }
      case '/' -> {
        p++;
        closeBlock(start);
      }
      case '^' -> {
        p++;
        skipSpaces();
        if (!atClose()) {
          throw source.error(
              start, "Inverted sections ({{^name}}) are not supported; use {{#unless name}}.");
        }
        close(start, false);
        plainElse(start);
      }
      case '>' ->
          throw source.error(
              start, "Partials ({{> name}}) are not supported: a template cannot include another.");
      case '&' -> {
        p++;
        Expr e = output(start);
        close(start, false);
        nodes.add(new Node.Output(e, true, start));
      }
      case '*' -> throw source.error(start, "Decorators ({{* name}}) are not supported.");
      case '=' -> throw source.error(start, "Changing the {{ }} delimiters is not supported.");
      default -> {
        skipSpaces();
        if (keyword("else")) {
          elseTag(start);
        } else {
          Expr e = output(start);
          close(start, false);
          nodes.add(new Node.Output(e, false, start));
        }
      }
    }
  }

  private void comment(int start) throws TemplateException {
    boolean strip;
    if (s.startsWith("!--", p)) {
      int i = p + 3;
      while (true) {
        int d = s.indexOf("--", i);
        if (d < 0) {
          throw source.error(start, "This comment is never closed with --}}.");
        }
        if (s.startsWith("}}", d + 2)) {
          p = d + 4;
          strip = false;
          break;
        }
        if (s.startsWith("~}}", d + 2)) {
          p = d + 5;
          strip = true;
          break;
        }
        i = d + 1;
      }
    } else {
      int end = s.indexOf("}}", p);
      if (end < 0) {
        throw source.error(start, "This comment is never closed with }}.");
      }
      strip = end > p + 1 && s.charAt(end - 1) == '~';
      p = end + 2;
    }
    stripNextText = strip;
  }

  private void openBlock(int start) throws TemplateException {
    if (at('*')) {
      throw source.error(start, "Inline partials ({{#*inline}}) are not supported.");
    }
    if (at('>')) {
      throw source.error(
          start,
          "Partial blocks ({{#> name}}) are not supported: a template cannot include another.");
    }
    String name = identifier();
    BlockKind kind = BlockKind.named(name);
    if (kind == null) {
      throw source.error(
          start,
          (name.isEmpty() ? "A block needs a name" : "{{#" + name + "}} is not a block")
              + ": use {{#if}}, {{#unless}}, {{#each}} or {{#with}}.");
    }
    Expr param = blockParam(start, kind);
    close(start, false);
    if (open.size() >= MAX_BLOCK_DEPTH) {
      throw source.error(start, "Blocks are nested more than " + MAX_BLOCK_DEPTH + " levels deep.");
    }
    open.push(new OpenBlock(kind, start));
    nodes.add(new Node.Open(kind, param, start));
  }

  private Expr blockParam(int start, BlockKind kind) throws TemplateException {
    List<Expr> atoms = atoms(0, start);
    if (atoms.size() != 1) {
      String example =
          switch (kind) {
            case EACH -> "{{#each items}}";
            case WITH -> "{{#with client}}";
            default -> "{{#" + kind.helper() + " client.vip}} or {{#if (eq status \"approved\")}}";
          };
      throw source.error(
          start, "{{#" + kind.helper() + "}} takes exactly one value, as in " + example + ".");
    }
    return atoms.get(0);
  }

  private void closeBlock(int start) throws TemplateException {
    String name = identifier();
    close(start, false);
    if (open.isEmpty()) {
      throw source.error(start, "{{/" + name + "}} closes a block that was never opened.");
    }
    OpenBlock top = open.peek();
    if (!top.kind.helper().equals(name)) {
      throw source.error(
          start,
          "{{/"
              + name
              + "}} does not match {{#"
              + top.kind.helper()
              + "}} opened at "
              + source.where(top.offset)
              + ".");
    }
    open.pop();
    nodes.add(new Node.Close(top.kind, start));
  }

  private void elseTag(int start) throws TemplateException {
    skipSpaces();
    if (atClose()) {
      close(start, false);
      plainElse(start);
      return;
    }
    String name = identifier();
    BlockKind kind = BlockKind.named(name);
    if (kind != BlockKind.IF && kind != BlockKind.UNLESS) {
      throw source.error(
          start, "Only {{else}}, {{else if x}} and {{else unless x}} are supported.");
    }
    Expr param = blockParam(start, kind);
    close(start, false);
    OpenBlock top = enclosingForElse(start);
    if (top.sawElse) {
      throw source.error(start, "{{else if}} cannot come after this block's {{else}}.");
    }
    nodes.add(new Node.ElseChain(kind, param, start));
  }

  private void plainElse(int start) throws TemplateException {
    OpenBlock top = enclosingForElse(start);
    if (top.sawElse) {
      throw source.error(start, "This block already has an {{else}}.");
    }
    top.sawElse = true;
    nodes.add(new Node.Else(start));
  }

  private OpenBlock enclosingForElse(int start) throws TemplateException {
    if (open.isEmpty()) {
      throw source.error(
          start, "{{else}} is only allowed inside {{#if}}, {{#unless}}, {{#each}} or {{#with}}.");
    }
    return open.peek();
  }

  private void close(int start, boolean triple) throws TemplateException {
    skipSpaces();
    boolean strip = false;
    if (at('~')) {
      strip = true;
      p++;
    }
    String closer = triple ? "}}}" : "}}";
    if (!s.startsWith(closer, p)) {
      if (triple && s.startsWith("}}", p)) {
        throw source.error(
            start,
            "{{{ must be closed with }}}. If you meant a { followed by {{...}}, put a space between"
                + " them.");
      }
      if (p >= len) {
        throw source.error(start, "This {{ is never closed with }}.");
      }
      throw unexpected();
    }
    p += closer.length();
    stripNextText = strip;
  }

  private Expr output(int tagStart) throws TemplateException {
    List<Expr> atoms = atoms(0, tagStart);
    if (atoms.isEmpty()) {
      throw source.error(tagStart, "Empty {{ }}: write a variable inside, like {{client.name}}.");
    }
    if (atoms.size() == 1) {
      // A lone name is a variable even when a helper has that name: events may have a "date".
      return atoms.get(0);
    }
    return call(atoms, tagStart);
  }

  private List<Expr> atoms(int depth, int tagStart) throws TemplateException {
    List<Expr> list = new ArrayList<>();
    while (true) {
      skipSpaces();
      if (p >= len) {
        throw source.error(tagStart, "This {{ is never closed with }}.");
      }
      if ((depth > 0 && at(')')) || atClose()) {
        return list;
      }
      list.add(atom(depth, tagStart));
    }
  }

  private Expr atom(int depth, int tagStart) throws TemplateException {
    int at = p;
    char c = s.charAt(p);
    if (c == '(') {
      if (depth + 1 > MAX_EXPRESSION_DEPTH) {
        throw source.error(
            at, "Helpers are nested more than " + MAX_EXPRESSION_DEPTH + " levels deep.");
      }
      p++;
      List<Expr> inner = atoms(depth + 1, tagStart);
      if (atClose()) {
        throw source.error(at, "This ( is never closed with ).");
      }
      p++;
      if (inner.isEmpty()) {
        throw source.error(at, "Empty ( ): write a helper call inside, like (eq status \"ok\").");
      }
      return call(inner, at);
    }
    if (c == '"' || c == '\'') {
      return string(c);
    }
    if (c == '|') {
      throw source.error(
          at, "Block parameters (as |item|) are not supported; use this, @index and @key.");
    }
    Matcher m = NUMBER.matcher(s).region(p, len);
    if (m.lookingAt() && delimiterAt(m.end())) {
      p = m.end();
      return number(m.group(), at);
    }
    Expr path = path(at);
    if (at('=')) {
      throw source.error(at, "Named arguments (name=value) are not supported.");
    }
    return path;
  }

  private Expr number(String text, int at) throws TemplateException {
    BigDecimal value = new BigDecimal(text);
    // Handlebars reads integers past int range as doubles (12345678901 prints 1.2345678901E10).
    boolean fits =
        value.scale() > 0
            || (value.compareTo(BigDecimal.valueOf(Integer.MIN_VALUE)) >= 0
                && value.compareTo(BigDecimal.valueOf(Integer.MAX_VALUE)) <= 0);
    if (!fits) {
      throw source.error(
          at,
          "Numbers written in a template must be between -2147483648 and 2147483647; write larger"
              + " ones in quotes.");
    }
    return new Expr.Literal(value, at);
  }

  private Expr string(char quote) throws TemplateException {
    int at = p;
    p++;
    StringBuilder sb = new StringBuilder();
    while (true) {
      if (p >= len) {
        throw source.error(at, "This text in quotes is never closed.");
      }
      char c = s.charAt(p);
      if (c == '\\' && p + 1 < len && s.charAt(p + 1) == quote) {
        sb.append(quote);
        p += 2;
        continue;
      }
      p++;
      if (c == quote) {
        break;
      }
      sb.append(c);
    }
    String v = sb.toString();
    // Handlebars reads both quote kinds verbatim but for \" or \' before the end; we print the
    // value back with a quote kind it does not contain, so these two cases cannot be carried.
    if (v.endsWith("\\") || (v.indexOf('"') >= 0 && v.indexOf('\'') >= 0)) {
      throw source.error(
          at, "Text in quotes cannot end with a backslash nor contain both \" and '.");
    }
    return new Expr.Literal(v, at);
  }

  private Expr path(int at) throws TemplateException {
    boolean data = false;
    int up = 0;
    boolean explicitThis = false;
    List<String> segments = new ArrayList<>();
    if (at('@')) {
      data = true;
      p++;
    } else {
      while (true) {
        if (s.startsWith("../", p)) {
          up++;
          p += 3;
        } else if (s.startsWith("..", p) && delimiterAt(p + 2)) {
          up++;
          p += 2;
          return new Expr.Path(false, up, false, List.of(), at);
        } else {
          break;
        }
      }
      if (up == 0 && s.startsWith("./", p)) {
        explicitThis = true;
        p += 2;
      } else if (up == 0 && at('.') && delimiterAt(p + 1)) {
        p++;
        return new Expr.Path(false, 0, true, List.of(), at);
      }
    }
    boolean bracketed = false;
    while (true) {
      String segment;
      int segStart = p;
      if (at('[')) {
        int end = s.indexOf(']', p);
        if (end < 0) {
          throw source.error(p, "This [ is never closed with ].");
        }
        segment = s.substring(p + 1, end);
        p = end + 1;
        bracketed = true;
      } else {
        while (p < len && isIdChar(s.charAt(p))) {
          p++;
        }
        segment = s.substring(segStart, p);
        if (segment.isEmpty()) {
          throw unexpected();
        }
      }
      boolean first = segments.isEmpty() && !explicitThis;
      if (first && !data && up == 0 && !bracketed && segment.equals("this")) {
        explicitThis = true;
      } else {
        segments.add(segment);
      }
      if ((at('.') || at('/'))
          && p + 1 < len
          && (isIdChar(s.charAt(p + 1)) || s.charAt(p + 1) == '[')) {
        if (segments.size() >= MAX_PATH_SEGMENTS) {
          throw source.error(at, "A path may have at most " + MAX_PATH_SEGMENTS + " parts.");
        }
        p++;
        continue;
      }
      break;
    }
    if (data) {
      if (!DATA_VARIABLES.contains(segments.get(0))) {
        throw source.error(
            at,
            "Unknown variable @"
                + segments.get(0)
                + ": use @event, @account, @delivery, @index, @first, @last, @key or @root.");
      }
    } else if (up == 0 && !explicitThis && !bracketed && segments.size() == 1) {
      switch (segments.get(0)) {
        case "true" -> {
          return new Expr.Literal(Boolean.TRUE, at);
        }
        case "false" -> {
          return new Expr.Literal(Boolean.FALSE, at);
        }
        case "null", "undefined" -> {
          return new Expr.Literal(null, at);
        }
        default -> {}
      }
    }
    return new Expr.Path(data, up, explicitThis, segments, at);
  }

  private Expr call(List<Expr> atoms, int at) throws TemplateException {
    Expr head = atoms.get(0);
    if (!(head instanceof Expr.Path path) || !path.isSimpleName()) {
      throw source.error(
          head.offset(),
          "Only one value fits in {{ }}; to call a helper, start with its name ("
              + TemplateFunction.names()
              + ").");
    }
    String name = path.segments().get(0);
    TemplateFunction f = TemplateFunction.named(name);
    if (f == null) {
      throw source.error(
          head.offset(),
          "Unknown helper \"" + name + "\". The helpers are: " + TemplateFunction.names() + ".");
    }
    List<Expr> args = atoms.subList(1, atoms.size());
    if (args.size() < f.minArgs() || args.size() > f.maxArgs()) {
      throw source.error(head.offset(), arity(f));
    }
    if (f == TemplateFunction.DATE) {
      checkDateArgument(args, 1, true);
      checkDateArgument(args, 2, false);
    }
    return new Expr.Call(f, args, at);
  }

  private void checkDateArgument(List<Expr> args, int i, boolean pattern) throws TemplateException {
    if (args.size() <= i || !(args.get(i) instanceof Expr.Literal lit)) {
      return;
    }
    if (!(lit.value() instanceof String text)) {
      throw source.error(
          lit.offset(),
          "The date's " + (pattern ? "pattern" : "time zone") + " must be text in quotes.");
    }
    String problem =
        pattern ? DateFormatting.patternProblem(text) : DateFormatting.zoneProblem(text);
    if (problem != null) {
      throw source.error(lit.offset(), problem);
    }
  }

  private static String arity(TemplateFunction f) {
    String usage =
        switch (f) {
          case JSON -> "{{json value}}";
          case DEFAULT -> "{{default value \"fallback\"}}";
          case UPPER, LOWER, TRIM -> "{{" + f.helperName() + " value}}";
          case JOIN -> "{{join list \", \"}}";
          case DATE -> "{{date value \"yyyy-MM-dd HH:mm\" \"America/Santiago\"}}";
          case EQ, NE, GT, LT -> "{{#if (" + f.helperName() + " a b)}}";
        };
    return f.helperName() + " is written " + usage + ".";
  }

  private TemplateException unexpected() {
    if (p >= len) {
      return source.error(p, "The template ends inside {{ }}.");
    }
    return source.error(p, "Unexpected \"" + s.charAt(p) + "\" inside {{ }}.");
  }

  private String identifier() {
    int b = p;
    while (p < len && isIdChar(s.charAt(p))) {
      p++;
    }
    return s.substring(b, p);
  }

  private boolean keyword(String word) {
    if (s.startsWith(word, p) && delimiterAt(p + word.length())) {
      p += word.length();
      return true;
    }
    return false;
  }

  private boolean delimiterAt(int i) {
    if (i >= len) {
      return true;
    }
    char c = s.charAt(i);
    return Character.isWhitespace(c) || c == ')' || c == '}' || c == '~';
  }

  private static boolean isIdChar(char c) {
    return !Character.isWhitespace(c) && !Character.isISOControl(c) && NOT_ID.indexOf(c) < 0;
  }

  private boolean at(char c) {
    return p < len && s.charAt(p) == c;
  }

  private boolean atClose() {
    return s.startsWith("}}", p) || s.startsWith("~}}", p);
  }

  private void skipSpaces() {
    while (p < len && Character.isWhitespace(s.charAt(p))) {
      p++;
    }
  }
}
