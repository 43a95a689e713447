package io.estafeta.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Save-time errors point at the right line and column (1-based) and say what is wrong in words the
 * template's author understands.
 */
class TemplateErrorsTest {

  static Stream<Arguments> errors() {
    return Stream.of(
        // syntax, in a multi-line template
        err(
            Target.JSON,
            "{\n  \"a\": \"{{client.name}}\",\n  \"c\": {{foo bar}}\n}",
            3,
            10,
            "Unknown helper \"foo\""),
        err(Target.TEXT, "line 1\n  {{#if x}}\n  text\n", 2, 3, "{{#if}} is never closed"),
        err(
            Target.TEXT,
            "a\n{{#if x}}\n{{/each}}",
            3,
            1,
            "{{/each}} does not match {{#if}} opened at line 2, column 1"),
        err(Target.TEXT, "a\n\n   {{else}}", 3, 4, "{{else}} is only allowed inside"),
        err(Target.TEXT, "ok\nthen {{name", 2, 6, "never closed with }}"),
        err(Target.TEXT, "x {{{name}}", 1, 3, "{{{ must be closed with }}}"),
        err(Target.TEXT, "x\n {{upper}} {{upper a b}}", 2, 14, "upper is written {{upper value}}"),
        err(Target.TEXT, "{{#if a b}}x{{/if}}", 1, 1, "takes exactly one value"),
        err(Target.TEXT, "\n\n{{@secret}}", 3, 3, "Unknown variable @secret"),
        err(
            Target.TEXT,
            "{{date when \"yyyy-MM-dd HH:mm\" \"Mars/Olympus\"}}",
            1,
            32,
            "not a known time zone"),
        err(Target.TEXT, "{{date when \"yyyy-MM-dd bbb\"}}", 1, 13, "not a valid date pattern"),
        err(Target.TEXT, "{{x \"unclosed}}", 1, 5, "never closed"),
        err(Target.TEXT, "{{x y=1}}", 1, 5, "Named arguments"),
        err(Target.TEXT, "{{12345678901}}", 1, 3, "Numbers written in a template"),
        err(Target.TEXT, "{{!-- never closed", 1, 1, "comment is never closed"),
        err(Target.TEXT, "{{x}} {{  }}", 1, 7, "Empty {{ }}"),
        err(Target.TEXT, "{{x <y}}", 1, 5, "Unexpected \"<\""),
        err(Target.TEXT, "\n {{" + "a.".repeat(25) + "a}}", 2, 4, "at most 20 parts"),
        // places no escaping can make safe
        err(Target.JSON, "{\n  {{key}}: 1\n}", 2, 3, "cannot be a JSON key outside quotes"),
        err(Target.JSON, "{\"a\": \"x\\{{v}}\"}", 1, 10, "cannot follow a backslash"),
        err(Target.XML, "<root>\n  <{{tag}}>x</{{tag}}>\n</root>", 2, 4, "XML tag name"),
        err(Target.XML, "<a {{n}}=\"1\"/>", 1, 4, "attribute name"),
        err(Target.XML, "<a b={{v}}/>", 1, 6, "must be in quotes"),
        err(Target.XML, "<!DOCTYPE a [<!ENTITY e \"{{v}}\">]><a/>", 1, 26, "declaration"),
        err(Target.XML, "<?pi {{v}}?><a/>", 1, 6, "processing instruction"),
        err(Target.YAML, "a: 1\n{{k}}: 2", 2, 1, "cannot be a YAML key outside quotes"),
        err(Target.YAML, "a: |\n  text {{v}}\n", 2, 8, "block scalar"),
        err(Target.YAML, "a: &{{x}} 1", 1, 5, "tag, anchor or alias"),
        err(Target.YAML, "a: \"x\\{{v}}\"", 1, 7, "backslash"),
        err(Target.CSV, "a,\"b\"{{v}},c", 1, 6, "after the closing quote"),
        err(Target.URL, "https://{{host}}/x", 1, 9, "not allowed in the URL's host"),
        err(
            Target.URL,
            "https://api.example.com:{{port}}/x",
            1,
            25,
            "not allowed in the URL's port"),
        err(
            Target.URL,
            "https://{{user}}:pw@api.example.com/x",
            1,
            9,
            "not allowed in the URL's user info"),
        err(Target.URL, "{{base}}/x", 1, 1, "not allowed in the URL's scheme"),
        err(Target.URL, "https://api.example.com{{path}}", 1, 24, "not allowed in the URL's host"),
        err(Target.URL, "https://api.example.com/{{{raw}}}", 1, 25, "not allowed in the URL"),
        err(Target.HEADER_VALUE, "Bearer {{& token}}", 1, 8, "only allowed in bodies"),
        err(Target.HEADER_VALUE, "a\r\nInjected: yes", 1, 2, "line break"));
  }

  private static Arguments err(Target target, String template, int line, int column, String text) {
    return Arguments.of(target, template, line, column, text);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("errors")
  void pointsAtTheProblem(Target target, String template, int line, int column, String text) {
    TemplateException e =
        catchThrowableOfType(
            TemplateException.class, () -> Renders.ENGINE.compile(template, target));
    assertThat(e).as("no error for " + template).isNotNull();
    assertThat(e.getMessage()).contains(text);
    assertThat(e.getMessage()).doesNotContain("Exception", "null");
    assertThat(e.line()).as("line of: " + e.getMessage()).isEqualTo(line);
    assertThat(e.column()).as("column of: " + e.getMessage()).isEqualTo(column);
  }
}
