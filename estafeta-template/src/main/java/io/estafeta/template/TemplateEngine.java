package io.estafeta.template;

import com.github.jknack.handlebars.Template;
import io.estafeta.template.internal.ContextScanner;
import io.estafeta.template.internal.HandlebarsRuntime;
import io.estafeta.template.internal.HandlebarsSourceWriter;
import io.estafeta.template.internal.Node;
import io.estafeta.template.internal.Plan;
import io.estafeta.template.internal.SourceText;
import io.estafeta.template.internal.TemplateParser;
import io.estafeta.template.internal.Variables;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * Compiles templates (contract §6). Thread-safe; build one per process.
 *
 * <p>Compiling parses the template with our own parser, decides for every {@code {{ }}} where it
 * lands in the target format, rewrites it into a call to the matching escaper, and hands that to a
 * locked-down Handlebars. Anything that cannot be made safe is a {@link TemplateException} with the
 * line and column.
 */
public final class TemplateEngine {
  private final Limits limits;
  private final HandlebarsRuntime runtime;

  public TemplateEngine() {
    this(Limits.DEFAULTS);
  }

  public TemplateEngine(Limits limits) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.runtime = new HandlebarsRuntime(limits);
  }

  public CompiledTemplate compile(String source, Target target) throws TemplateException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(target, "target");
    SourceText text = new SourceText(source);
    if (source.length() > limits.maxSourceChars()) {
      throw text.error(
          limits.maxSourceChars(),
          "The template is "
              + source.length()
              + " characters long; the limit is "
              + limits.maxSourceChars()
              + ".");
    }
    try {
      List<Node> nodes = TemplateParser.parse(text);
      Plan plan = ContextScanner.plan(target, text, nodes);
      String handlebarsSource = HandlebarsSourceWriter.write(text, nodes, plan);
      Template template = runtime.compile(handlebarsSource);
      return new CompiledTemplate(target, template, Variables.of(nodes), runtime);
    } catch (IOException | RuntimeException e) {
      // Our parser accepts only what Handlebars reads; reaching here is a bug of ours, but the
      // author still gets an error rather than an unsafe template.
      throw new TemplateException("This template could not be compiled: " + e.getMessage(), 1, 1);
    } catch (StackOverflowError e) {
      throw new TemplateException("The template is nested too deeply.", 1, 1);
    }
  }
}
