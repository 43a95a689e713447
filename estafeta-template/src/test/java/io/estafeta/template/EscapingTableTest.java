package io.estafeta.template;

import static io.estafeta.template.Renders.data;
import static io.estafeta.template.Renders.list;
import static io.estafeta.template.Renders.normalize;
import static io.estafeta.template.Renders.render;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Every row of the contract's §6 table: exact output for short hostile values, and for a long list
 * of hostile values (quotes, backslashes, line breaks, NUL and controls, ]]>, </, &, #, ?, /, ..,
 * %, U+2028, emoji, 100 KB strings, numbers, booleans, null, objects, lists) that the result parses
 * with the format's real parser and the value reads back.
 */
class EscapingTableTest {
  private static final String MISSING = "\u0000missing"; // marker: the variable is absent

  static Stream<Arguments> exact() {
    Map<String, Object> kv = new LinkedHashMap<>();
    kv.put("k", "v");
    return Stream.of(
        // URL path: a segment, "/" too; dot-only values cannot walk the path
        row(
            Target.URL,
            "https://h.example/a/{{v}}",
            "a/b c?d#e&f=g+h%",
            "https://h.example/a/a%2Fb%20c%3Fd%23e%26f%3Dg%2Bh%25"),
        row(Target.URL, "https://h.example/a/{{v}}/b", "..", "https://h.example/a/%2E%2E/b"),
        row(
            Target.URL,
            "https://h.example/a/{{v}}",
            "😀é",
            "https://h.example/a/%F0%9F%98%80%C3%A9"),
        row(Target.URL, "https://h.example/a/{{v}}", 42, "https://h.example/a/42"),
        row(
            Target.URL,
            "https://h.example/a/{{v}}",
            kv,
            "https://h.example/a/%7B%22k%22%3A%22v%22%7D"),
        row(Target.URL, "https://h.example/a/{{v}}", MISSING, "https://h.example/a/"),
        // URL query: & = + # ? / and spaces (%20) encoded
        row(
            Target.URL,
            "https://h.example/?q={{v}}&x=1",
            "a b&c=d+e#f?g/h",
            "https://h.example/?q=a%20b%26c%3Dd%2Be%23f%3Fg%2Fh&x=1"),
        row(
            Target.URL,
            "https://h.example/?q={{v}}",
            "\r\n\u0000",
            "https://h.example/?q=%0D%0A%00"),
        row(Target.URL, "https://h.example/?{{v}}=1", "k&y", "https://h.example/?k%26y=1"),
        row(Target.URL, "https://h.example/#{{v}}", "a b#c", "https://h.example/#a%20b%23c"),
        // header value: CR, LF, NUL and other controls but tab become spaces
        row(
            Target.HEADER_VALUE,
            "x {{v}} y",
            "a\r\nSet-Cookie: x\u0000\u0007\tb\u007f",
            "x a  Set-Cookie: x  \tb  y"),
        row(Target.HEADER_VALUE, "Bearer {{v}}", 12, "Bearer 12"),
        row(Target.HEADER_VALUE, "Bearer {{v}}", MISSING, "Bearer "),
        // JSON inside a string (value or key)
        row(
            Target.JSON,
            "{\"s\":\"{{v}}\"}",
            "\"\\/\r\n\t\u0000\u001f\u2028\u2029</😀",
            "{\"s\":\"\\\"\\\\/\\r\\n\\t\\u0000\\u001F\\u2028\\u2029</😀\"}"),
        row(Target.JSON, "{\"{{v}}\":1}", "a\"b", "{\"a\\\"b\":1}"),
        row(Target.JSON, "{\"s\":\"n={{v}}\"}", 3.25, "{\"s\":\"n=3.25\"}"),
        row(Target.JSON, "{\"s\":\"{{v}}\"}", kv, "{\"s\":\"{\\\"k\\\":\\\"v\\\"}\"}"),
        row(Target.JSON, "{\"s\":\"{{v}}\"}", MISSING, "{\"s\":\"\"}"),
        // JSON value position: a JSON literal
        row(Target.JSON, "{\"v\":{{v}}}", "a\"b", "{\"v\":\"a\\\"b\"}"),
        row(Target.JSON, "{\"v\":{{v}}}", 42, "{\"v\":42}"),
        row(Target.JSON, "{\"v\":{{v}}}", -7L, "{\"v\":-7}"),
        row(Target.JSON, "{\"v\":{{v}}}", 3.25, "{\"v\":3.25}"),
        row(Target.JSON, "{\"v\":{{v}}}", 1e10, "{\"v\":1.0E10}"),
        row(Target.JSON, "{\"v\":{{v}}}", new BigDecimal("1E+3"), "{\"v\":1000}"),
        row(
            Target.JSON,
            "{\"v\":{{v}}}",
            new BigInteger("123456789012345678901234567890"),
            "{\"v\":123456789012345678901234567890}"),
        row(Target.JSON, "{\"v\":{{v}}}", true, "{\"v\":true}"),
        row(Target.JSON, "{\"v\":{{v}}}", null, "{\"v\":null}"),
        row(Target.JSON, "{\"v\":{{v}}}", MISSING, "{\"v\":null}"),
        row(Target.JSON, "{\"v\":{{v}}}", kv, "{\"v\":{\"k\":\"v\"}}"),
        row(
            Target.JSON,
            "{\"v\":{{v}}}",
            list(1, "a\u2028", null, false),
            "{\"v\":[1,\"a\\u2028\",null,false]}"),
        row(Target.JSON, "[{{v}},{{v}}]", "x", "[\"x\",\"x\"]"),
        // XML text and attributes (both quotes): entities; forbidden chars dropped
        row(
            Target.XML,
            "<a>{{v}}</a>",
            "<b>&\"'\u0001\r\n]]>",
            "<a>&lt;b&gt;&amp;&quot;&apos;&#13;\n]]&gt;</a>"),
        row(
            Target.XML,
            "<a b=\"{{v}}\"/>",
            "\"'<&\t\n\r",
            "<a b=\"&quot;&apos;&lt;&amp;&#9;&#10;&#13;\"/>"),
        row(Target.XML, "<a b='{{v}}'/>", "'\uFFFE\uFFFF😀", "<a b='&apos;😀'/>"),
        row(Target.XML, "<a>{{v}}</a>", 1e10, "<a>1.0E10</a>"),
        row(Target.XML, "<a>{{v}}</a>", kv, "<a>{&quot;k&quot;:&quot;v&quot;}</a>"),
        // XML CDATA: ]]> split, CR as a reference, fenced at the edges
        row(
            Target.XML,
            "<a><![CDATA[{{v}}]]></a>",
            "x]]>y",
            "<a><![CDATA[x]]]]><![CDATA[>y]]></a>"),
        row(Target.XML, "<a><![CDATA[{{v}}]]></a>", "a]", "<a><![CDATA[a]]]><![CDATA[]]></a>"),
        row(Target.XML, "<a><![CDATA[{{v}}]]></a>", ">b", "<a><![CDATA[]]><![CDATA[>b]]></a>"),
        row(
            Target.XML,
            "<a><![CDATA[{{v}}]]></a>",
            "a\rb",
            "<a><![CDATA[a]]>&#13;<![CDATA[b]]></a>"),
        row(Target.XML, "<a><![CDATA[{{v}}]]></a>", "\u0000x\uFFFE<&", "<a><![CDATA[x<&]]></a>"),
        // XML comment: no "--", no trailing "-"
        row(Target.XML, "<a><!--{{v}}--></a>", "x--y-", "<a><!--x- -y- --></a>"),
        row(Target.XML, "<a><!--{{v}}--></a>", "-a", "<a><!-- -a--></a>"),
        // YAML value: a scalar that reads back as the same value
        row(Target.YAML, "v: {{v}}", "a\"b\n", "v: \"a\\\"b\\n\""),
        row(Target.YAML, "v: {{v}}", "true", "v: \"true\""),
        row(Target.YAML, "v: {{v}}", 42, "v: 42"),
        row(Target.YAML, "v: {{v}}", 1e10, "v: 1.0e+10"),
        row(Target.YAML, "v: {{v}}", 1.5e-7, "v: 1.5e-7"),
        row(Target.YAML, "v: {{v}}", true, "v: true"),
        row(Target.YAML, "v: {{v}}", null, "v: null"),
        row(Target.YAML, "v: {{v}}", MISSING, "v: null"),
        row(Target.YAML, "v: {{v}}", kv, "v: {\"k\": \"v\"}"),
        row(Target.YAML, "v: {{v}}", list(1, "a", null), "v: [1, \"a\", null]"),
        row(
            Target.YAML,
            "v: {{v}}",
            "\u0085\u2028\u2029\u0007\u007f\uFEFF\t\u001b",
            "v: \"\\N\\L\\P\\a\\x7F\\uFEFF\\t\\e\""),
        row(Target.YAML, "- {{v}}\n- x", "# not a comment", "- \"# not a comment\"\n- x"),
        // YAML inside quotes: double-quoted escaping; single-quoted scalars become double-quoted
        row(Target.YAML, "v: \"x{{v}}\"", "\"\\", "v: \"x\\\"\\\\\""),
        row(Target.YAML, "v: 'it''s {{v}}'", "a\"b'", "v: \"it's a\\\"b'\""),
        row(Target.YAML, "v: Hello {{v}}!", "x: y # z", "v: \"Hello x: y # z!\""),
        row(Target.YAML, "v: C:\\{{v}}", "dir", "v: \"C:\\\\dir\""),
        row(Target.YAML, "# {{v}}\nv: 1", "a\nb: c", "# a b: c\nv: 1"),
        // CSV: RFC 4180 quoting when needed
        row(Target.CSV, "a,{{v}},b", "x,y", "a,\"x,y\",b"),
        row(Target.CSV, "a,{{v}},b", "q\"", "a,\"q\"\"\",b"),
        row(Target.CSV, "a,{{v}},b", " lead", "a,\" lead\",b"),
        row(Target.CSV, "a,{{v}},b", "line\r\nbreak", "a,\"line\r\nbreak\",b"),
        row(Target.CSV, "a,{{v}},b", "plain", "a,plain,b"),
        row(Target.CSV, "a,{{v}},b", 42, "a,42,b"),
        row(Target.CSV, "a,{{v}},b", MISSING, "a,,b"),
        row(Target.CSV, "a,{{v}},b", list(1, "x"), "a,\"[1,\"\"x\"\"]\",b"),
        row(Target.CSV, "a,\"x{{v}}\",b", "\"q\"", "a,\"x\"\"q\"\"\",b"),
        row(Target.CSV, "a,x{{v}}y,b", "1,2", "a,\"x1,2y\",b"),
        // form: application/x-www-form-urlencoded, names too
        row(
            Target.FORM,
            "k={{v}}&{{v}}=1",
            "a b&c=d+é",
            "k=a+b%26c%3Dd%2B%C3%A9&a+b%26c%3Dd%2B%C3%A9=1"),
        row(Target.FORM, "k={{v}}", "*-._~", "k=*-._%7E"),
        // text: as is
        row(Target.TEXT, "<{{v}}>", "\"&\n\u0000", "<\"&\n\u0000>"),
        row(Target.TEXT, "<{{v}}>", 1e10, "<1.0E10>"),
        row(Target.TEXT, "<{{v}}>", kv, "<{\"k\":\"v\"}>"),
        // {{{raw}}} and {{& raw}} in bodies: unescaped
        row(Target.JSON, "{\"r\": {{{v}}}}", "[1,2]", "{\"r\": [1,2]}"),
        row(Target.JSON, "{\"r\": {{& v}}}", "{\"a\":1}", "{\"r\": {\"a\":1}}"),
        row(Target.XML, "<a>{{{v}}}</a>", "<b/>", "<a><b/></a>"),
        // the json helper: as is in value position, escaped in a string
        row(
            Target.JSON,
            "{\"j\": {{json v}}, \"s\": \"{{json v}}\"}",
            Map.of("a", "x\"y"),
            "{\"j\": {\"a\":\"x\\\"y\"}, \"s\": \"{\\\"a\\\":\\\"x\\\\\\\"y\\\"}\"}"),
        row(Target.YAML, "j: {{json v}}", Map.of("a", 1), "j: {\"a\": 1}"));
  }

  private static Arguments row(Target target, String template, Object value, String expected) {
    return Arguments.of(target, template, value, expected);
  }

  @ParameterizedTest(name = "{0} {1} <- {2}")
  @MethodSource("exact")
  void writesExactly(Target target, String template, Object value, String expected)
      throws Exception {
    Map<String, Object> data = MISSING.equals(value) ? data() : data("v", value);
    String out = render(target, template, data);
    assertThat(out).isEqualTo(expected);
    assertThat(RenderedCheck.check(target, out)).isEmpty();
  }

  @Test
  void loneSurrogatesAreReplacedOrEscapedNeverPassedOn() throws Exception {
    Map<String, Object> d = data("v", "a\uD800b\uDC00");
    assertThat(render(Target.JSON, "\"{{v}}\"", d)).isEqualTo("\"a\\uD800b\\uDC00\"");
    assertThat(render(Target.URL, "https://h.example/{{v}}", d))
        .isEqualTo("https://h.example/a%EF%BF%BDb%EF%BF%BD");
    assertThat(render(Target.FORM, "v={{v}}", d)).isEqualTo("v=a%EF%BF%BDb%EF%BF%BD");
    assertThat(render(Target.XML, "<a>{{v}}</a>", d)).isEqualTo("<a>ab</a>");
    assertThat(render(Target.YAML, "v: {{v}}", d)).isEqualTo("v: \"a\uFFFDb\uFFFD\"");
  }

  // ---------------------------------------------------------------------------------------------
  // Hostile values in every row: the result parses and the value reads back.

  record Row(String name, Target target, String template, Reader reader, Expectation expected) {
    @Override
    public String toString() {
      return name;
    }
  }

  @FunctionalInterface
  interface Reader {
    Object read(String rendered) throws Exception;
  }

  @FunctionalInterface
  interface Expectation {
    Object of(Object value);
  }

  static List<Object> hostileValues() {
    List<Object> values =
        new ArrayList<>(
            List.of(
                "\"",
                "'",
                "\\",
                "\\\"",
                "\r\n",
                "\n",
                "\r",
                "\u0000",
                "\u0001\u001f\u007f\u0085",
                "]]>",
                "]]",
                "]",
                ">",
                "</script>",
                "&amp;",
                "&",
                "#frag",
                "?q=1",
                "/a/b",
                "..",
                ".",
                "%41%",
                "%zz",
                "\u2028\u2029",
                "😀👍🏽",
                "--",
                "-",
                " lead and trail ",
                "a,b",
                "key: value",
                "- item",
                "yes",
                "null",
                "~",
                "1e5",
                "{{x}}",
                "",
                "x".repeat(100_000),
                "\uFEFF\uFFFE\uFFFF",
                42,
                -7L,
                3.25,
                1e10,
                -0.0,
                new BigDecimal("1E+3"),
                new BigDecimal("12.50"),
                new BigInteger("123456789012345678901234567890"),
                true,
                false,
                Map.of("k", "v\"</\n"),
                list(1, "a\u2028", false, List.of())));
    values.add(null);
    values.add(MISSING);
    return values;
  }

  static List<Row> rows() {
    return List.of(
        new Row(
            "url path",
            Target.URL,
            "https://h.example/a/{{v}}/b?x=1",
            EscapingTableTest::urlSegment,
            EscapingTableTest::text),
        new Row(
            "url query",
            Target.URL,
            "https://h.example/a?x=1&q={{v}}&y=2",
            EscapingTableTest::urlQuery,
            EscapingTableTest::text),
        new Row(
            "header",
            Target.HEADER_VALUE,
            "pre {{v}} post",
            r -> r,
            v ->
                "pre "
                    + Renders.text(real(v)).replaceAll("[\\x00-\\x08\\x0a-\\x1f\\x7f]", " ")
                    + " post"),
        new Row(
            "json string",
            Target.JSON,
            "{\"s\": \"<{{v}}>\"}",
            r -> field(Renders.readJson(r), "s"),
            v -> "<" + text(v) + ">"),
        new Row(
            "json key",
            Target.JSON,
            "{\"k{{v}}\": 1}",
            r -> ((Map<?, ?>) Renders.readJson(r)).keySet().iterator().next(),
            v -> "k" + text(v)),
        new Row(
            "json value",
            Target.JSON,
            "{\"v\": {{v}}, \"after\": 1}",
            r -> normalize(field(Renders.readJson(r), "v")),
            v -> normalize(real(v))),
        new Row(
            "xml text",
            Target.XML,
            "<a><b>{{v}}</b></a>",
            r -> element(r, "b").getTextContent(),
            v -> Renders.xmlClean(text(v))),
        new Row(
            "xml attribute \"",
            Target.XML,
            "<a b=\"{{v}}\"/>",
            r -> element(r, "a").getAttribute("b"),
            v -> Renders.xmlClean(text(v))),
        new Row(
            "xml attribute '",
            Target.XML,
            "<a b='{{v}}'/>",
            r -> element(r, "a").getAttribute("b"),
            v -> Renders.xmlClean(text(v))),
        new Row(
            "xml cdata",
            Target.XML,
            "<a><![CDATA[{{v}}]]></a>",
            r -> element(r, "a").getTextContent(),
            v -> Renders.xmlClean(text(v))),
        new Row(
            "xml comment",
            Target.XML,
            "<a><!--{{v}}--></a>",
            r -> element(r, "a").getTagName(),
            v -> "a"),
        new Row(
            "yaml value",
            Target.YAML,
            "v: {{v}}\nafter: 1",
            r -> normalize(field(Renders.readYaml(r), "v")),
            v -> normalize(real(v))),
        new Row(
            "yaml in sequence",
            Target.YAML,
            "- {{v}}\n- 1",
            r -> normalize(((List<?>) Renders.readYaml(r)).get(0)),
            v -> normalize(real(v))),
        new Row(
            "yaml flow",
            Target.YAML,
            "v: [{{v}}, 1]",
            r -> normalize(((List<?>) field(Renders.readYaml(r), "v")).get(0)),
            v -> normalize(real(v))),
        new Row(
            "yaml double-quoted",
            Target.YAML,
            "v: \"<{{v}}>\"",
            r -> field(Renders.readYaml(r), "v"),
            v -> "<" + text(v) + ">"),
        new Row(
            "yaml single-quoted",
            Target.YAML,
            "v: 'it''s {{v}}'",
            r -> field(Renders.readYaml(r), "v"),
            v -> "it's " + text(v)),
        new Row(
            "yaml plain mix",
            Target.YAML,
            "v: Hello {{v}} # comment {{v}}",
            r -> field(Renders.readYaml(r), "v"),
            v -> "Hello " + text(v)),
        new Row(
            "csv field",
            Target.CSV,
            "a,{{v}},b\n",
            r -> Renders.readCsv(r).get(0).get(1),
            EscapingTableTest::text),
        new Row(
            "csv quoted",
            Target.CSV,
            "a,\"<{{v}}>\",b\n",
            r -> Renders.readCsv(r).get(0).get(1),
            v -> "<" + text(v) + ">"),
        new Row(
            "csv mix",
            Target.CSV,
            "a,id-{{v}},b\n",
            r -> Renders.readCsv(r).get(0).get(1),
            v -> "id-" + text(v)),
        new Row(
            "form",
            Target.FORM,
            "a=1&k={{v}}&{{v}}=x",
            r -> Renders.readForm(r).get(1)[1] + "|" + Renders.readForm(r).get(2)[0],
            v -> text(v) + "|" + text(v)),
        new Row("text", Target.TEXT, "<{{v}}>", r -> r, v -> "<" + text(v) + ">"));
  }

  static Stream<Arguments> hostile() {
    List<Arguments> all = new ArrayList<>();
    for (Row row : rows()) {
      for (Object v : hostileValues()) {
        all.add(Arguments.of(row, v));
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} <- {1}")
  @MethodSource("hostile")
  void hostileValuesStayInPlace(Row row, Object value) throws Exception {
    Map<String, Object> data = MISSING.equals(value) ? data() : data("v", value);
    String out = render(row.target(), row.template(), data);
    if (row.name().equals("json key") && text(value).length() > 50_000) {
      return; // Jackson refuses names over 50,000 chars by default: receivers would too
    }
    assertThat(RenderedCheck.check(row.target(), out)).as(Renders.shorten(out)).isEmpty();
    Object read = row.reader().read(out);
    Object expected = row.expected().of(value);
    assertThat(read).as(Renders.shorten(out)).isEqualTo(expected);
  }

  private static Object real(Object v) {
    return MISSING.equals(v) ? null : v;
  }

  private static String text(Object v) {
    return Renders.text(real(v));
  }

  private static Object field(Object map, String key) {
    assertThat(map).isInstanceOf(Map.class);
    return ((Map<?, ?>) map).get(key);
  }

  private static Element element(String xml, String name) throws Exception {
    Document d = Renders.readXml(xml);
    return (Element) d.getElementsByTagName(name).item(0);
  }

  private static String urlSegment(String url) {
    URI uri = URI.create(url);
    String[] segments = uri.getRawPath().split("/", -1);
    assertThat(segments).hasSize(4); // "", "a", value, "b": the value added no segment
    assertThat(uri.getHost()).isEqualTo("h.example");
    return Renders.percentDecode(segments[2]);
  }

  private static String urlQuery(String url) {
    URI uri = URI.create(url);
    String[] pairs = uri.getRawQuery().split("&", -1);
    assertThat(pairs).hasSize(3);
    assertThat(uri.getRawFragment()).isNull();
    assertThat(pairs[1]).startsWith("q=");
    return Renders.percentDecode(pairs[1].substring(2));
  }
}
