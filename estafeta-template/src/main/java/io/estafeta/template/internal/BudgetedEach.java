package io.estafeta.template.internal;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Options;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * {@code #each} over a List or a Map ({@code @index}, {@code @first}, {@code @last}, {@code @key}),
 * charging every pass to the render's budget. Handlebars buffers a loop's whole output before
 * writing it, so each pass's new text is also charged against the output cap as it is made.
 */
final class BudgetedEach implements Helper<Object> {
  @Override
  public Object apply(Object value, Options options) throws IOException {
    RenderBudget budget = options.data(RenderBudget.DATA_KEY);
    if (value instanceof List<?> list && !list.isEmpty()) {
      StringBuilder out = new StringBuilder();
      int n = list.size();
      for (int i = 0; i < n; i++) {
        budget.iteration();
        Context item =
            Context.newContext(options.context, list.get(i))
                .data("index", i)
                .data("first", i == 0)
                .data("last", i == n - 1);
        pass(options, item, budget, out);
      }
      return out;
    }
    if (value instanceof Map<?, ?> map && !map.isEmpty()) {
      StringBuilder out = new StringBuilder();
      int n = map.size();
      int i = 0;
      for (Map.Entry<?, ?> e : map.entrySet()) {
        budget.iteration();
        Context item =
            Context.newContext(options.context, e.getValue())
                .data("key", String.valueOf(e.getKey()))
                .data("index", i)
                .data("first", i == 0)
                .data("last", i == n - 1);
        pass(options, item, budget, out);
        i++;
      }
      return out;
    }
    return options.inverse();
  }

  private static void pass(Options options, Context item, RenderBudget budget, StringBuilder out)
      throws IOException {
    long before = budget.producedSoFar();
    CharSequence part = options.fn(item);
    long counted = budget.producedSoFar() - before;
    budget.produced(Math.max(0, part.length() - counted));
    out.append(part);
  }
}
