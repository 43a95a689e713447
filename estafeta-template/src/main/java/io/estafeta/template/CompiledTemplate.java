package io.estafeta.template;

import com.github.jknack.handlebars.Template;
import io.estafeta.template.internal.HandlebarsRuntime;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** A compiled template: immutable, thread-safe, reusable for any number of renders. */
public final class CompiledTemplate {
  private final Target target;
  private final Template template;
  private final Set<String> variables;
  private final HandlebarsRuntime runtime;

  CompiledTemplate(
      Target target, Template template, Set<String> variables, HandlebarsRuntime runtime) {
    this.target = target;
    this.template = template;
    this.variables = Collections.unmodifiableSortedSet(new TreeSet<>(variables));
    this.runtime = runtime;
  }

  public Target target() {
    return target;
  }

  /**
   * Renders against one event. Every value is escaped for where it lands; a missing value is empty
   * ({@code null} in a JSON or YAML value position).
   *
   * @throws RenderException when a budget runs out (loops, output size) or a helper gets an
   *     argument it cannot use; the message says which
   */
  public String render(RenderContext ctx) throws RenderException {
    return runtime.render(template, Objects.requireNonNull(ctx, "ctx"));
  }

  /**
   * The root-relative paths the template reads, sorted, {@code with}, {@code each} and {@code ../}
   * resolved: {@code client.name}, {@code answers[].label} (a field of each item), {@code
   * answers[]} (the item itself); numeric indexes read as {@code []}; {@code @} variables and
   * literals are not included.
   */
  public Set<String> variables() {
    return variables;
  }
}
