package io.estafeta.template;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Broken results are reported with a line and column; valid ones pass. */
class RenderedCheckTest {

  static Stream<Arguments> broken() {
    return Stream.of(
        bad(Target.JSON, "{\n  \"a\": 1,\n  \"b\": ,\n}", 3, 8),
        bad(Target.JSON, "{\"a\": \"unterminated}", 1, 21),
        bad(Target.JSON, "{\"a\": 1} trailing", 1, 10),
        bad(Target.JSON, "", 1, 1),
        bad(Target.XML, "<a>\n  <b>\n</a>", 3, 3),
        bad(Target.XML, "<a x=\"1\" x=\"2\"/>", 1, 16),
        bad(Target.XML, "<a>&nope;</a>", 1, 9),
        bad(Target.XML, "<a/><b/>", 1, 6),
        bad(Target.YAML, "a: 1\nb: [1, 2\nc: 3", 3, 2),
        bad(Target.YAML, "a: \"x", 1, 6),
        bad(Target.CSV, "a,b\nc,\"d", 2, 3),
        bad(Target.CSV, "a,b\n\"c\"d,e", 2, 4),
        bad(Target.CSV, "a,b\"c", 1, 4),
        bad(Target.URL, "https://api.example.com/a b", 1, 26),
        bad(Target.URL, "ftp://api.example.com/x", 1, 1),
        bad(Target.URL, "/relative/path", 1, 1),
        bad(Target.URL, "https:///nohost", 1, 9),
        bad(Target.FORM, "a=1&b=%zz", 1, 7),
        bad(Target.FORM, "a=1&b=x y", 1, 8),
        bad(Target.FORM, "a=1&b=\u00e9", 1, 7),
        bad(Target.FORM, "a=1&flag", 1, 5),
        bad(Target.FORM, "a=%C3%28", 1, 3),
        bad(Target.HEADER_VALUE, "ok\r\nInjected: 1", 1, 3),
        bad(Target.HEADER_VALUE, "nul\u0000", 1, 4));
  }

  private static Arguments bad(Target target, String rendered, int line, int column) {
    return Arguments.of(target, rendered, line, column);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("broken")
  void reportsWhere(Target target, String rendered, int line, int column) {
    ParseProblem p = RenderedCheck.check(target, rendered).orElseThrow();
    assertThat(p.message()).isNotBlank();
    assertThat(p.line()).as(p.message()).isEqualTo(line);
    assertThat(p.column()).as(p.message()).isEqualTo(column);
  }

  static Stream<Arguments> valid() {
    return Stream.of(
        Arguments.of(Target.JSON, "{\"a\": [1, 2.5, \"x\", null, true]}"),
        Arguments.of(Target.XML, "<?xml version=\"1.0\"?><a b='1'>t<![CDATA[<x>]]><!-- c --></a>"),
        Arguments.of(Target.YAML, "a: 1\nb:\n  - x\n  - \"y\"\n"),
        Arguments.of(Target.CSV, "a,\"b,c\",\"d\"\"e\"\r\n1,2,3\n"),
        Arguments.of(Target.URL, "https://api.example.com:8443/a%20b?q=1#f"),
        Arguments.of(Target.URL, "http://127.0.0.1/x"),
        Arguments.of(Target.FORM, "a=1&b=x+y%2B&c=&=v&item[0]=x&"),
        Arguments.of(Target.HEADER_VALUE, "Bearer abc\tdef"),
        Arguments.of(Target.TEXT, "anything \u0000 at all\r\n"));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("valid")
  void acceptsValid(Target target, String rendered) {
    assertThat(RenderedCheck.check(target, rendered)).isEmpty();
  }
}
