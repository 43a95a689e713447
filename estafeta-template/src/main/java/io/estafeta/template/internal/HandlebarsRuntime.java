package io.estafeta.template.internal;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.TagType;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.cache.NullTemplateCache;
import com.github.jknack.handlebars.helper.IfHelper;
import com.github.jknack.handlebars.helper.UnlessHelper;
import com.github.jknack.handlebars.helper.WithHelper;
import io.estafeta.template.Limits;
import io.estafeta.template.RenderContext;
import io.estafeta.template.RenderException;
import java.io.IOException;
import java.util.HashSet;
import java.util.Set;

/**
 * The one Handlebars instance, locked down: no template loading, a closed helper set (our escapers,
 * the contract's helpers, if/unless/with and a budgeted each), no HTML escaping (every output goes
 * through an escaper of ours), no template cache, and JavaScript-like scoping (a name not found in
 * the current context is not looked up in the parents, as handlebars.js does).
 */
public final class HandlebarsRuntime {
  private final Handlebars handlebars;
  private final Limits limits;
  private final Set<String> outputHelpers = new HashSet<>();
  private final Set<String> blockHelpers = Set.of("if", "unless", "each", "with");

  public HandlebarsRuntime(Limits limits) {
    this.limits = limits;
    ClosedHelperRegistry registry = new ClosedHelperRegistry();
    for (Escape e : Escape.values()) {
      registry.registerHelper(e.helperName(), escaper(e));
      outputHelpers.add(e.helperName());
    }
    for (TemplateFunction f : TemplateFunction.values()) {
      registry.registerHelper(f.helperName(), function(f));
    }
    registry.registerHelper("if", IfHelper.INSTANCE);
    registry.registerHelper("unless", UnlessHelper.INSTANCE);
    registry.registerHelper("with", WithHelper.INSTANCE);
    registry.registerHelper("each", new BudgetedEach());
    registry.close();
    this.handlebars =
        new Handlebars(RefusingTemplateLoader.INSTANCE)
            .with(registry)
            .with(EscapingStrategy.NOOP)
            .with(NullTemplateCache.INSTANCE)
            .parentScopeResolution(false)
            .prettyPrint(false);
  }

  private static Helper<Object> escaper(Escape escape) {
    return (value, options) -> {
      String s = escape.apply(value);
      RenderBudget budget = options.data(RenderBudget.DATA_KEY);
      budget.produced(s.length());
      return s;
    };
  }

  private static Helper<Object> function(TemplateFunction f) {
    return (first, options) -> {
      Object[] args = new Object[1 + options.params.length];
      args[0] = first;
      System.arraycopy(options.params, 0, args, 1, options.params.length);
      return f.apply(args, options.data(RenderBudget.DATA_KEY));
    };
  }

  /**
   * Compiles source printed by {@link HandlebarsSourceWriter}, and checks that Handlebars read it
   * as we wrote it: every output tag calls one of our escapers, every block is one we allow.
   */
  public Template compile(String source) throws IOException {
    Template template = handlebars.compileInline(source);
    for (String name : template.collect(TagType.VAR, TagType.TRIPLE_VAR, TagType.AMP_VAR)) {
      if (!outputHelpers.contains(name)) {
        throw new IllegalStateException("unescaped output in compiled template: " + name);
      }
    }
    for (String name : template.collect(TagType.SECTION)) {
      if (!blockHelpers.contains(name)) {
        throw new IllegalStateException("unexpected block in compiled template: " + name);
      }
    }
    return template;
  }

  public String render(Template template, RenderContext rc) throws RenderException {
    RenderBudget budget = new RenderBudget(limits.maxIterations(), limits.maxOutputChars());
    BoundedWriter out = new BoundedWriter(limits.maxOutputChars());
    Context context = Context.newBuilder(rc.data()).resolver(MapOnlyResolver.INSTANCE).build();
    context.data("event", rc.event());
    context.data("account", rc.account());
    context.data("delivery", rc.delivery());
    context.data(RenderBudget.DATA_KEY, budget);
    try {
      template.apply(context, out);
      return out.toString();
    } catch (RenderFailure e) {
      throw new RenderException(e.getMessage());
    } catch (HandlebarsException e) {
      RenderFailure failure = failureIn(e);
      if (failure != null) {
        throw new RenderException(failure.getMessage());
      }
      throw new RenderException("The template could not be rendered: " + rootMessage(e), e);
    } catch (IOException | RuntimeException e) {
      throw new RenderException("The template could not be rendered: " + rootMessage(e), e);
    } catch (StackOverflowError e) {
      throw new RenderException("The template is nested too deeply to render.");
    } catch (OutOfMemoryError e) {
      // Budgets should make this unreachable; if not, one render fails, not the process.
      throw new RenderException("The template needs too much memory to render.");
    } finally {
      context.destroy();
    }
  }

  private static RenderFailure failureIn(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof RenderFailure f) {
        return f;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return null;
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return String.valueOf(t.getMessage());
  }
}
