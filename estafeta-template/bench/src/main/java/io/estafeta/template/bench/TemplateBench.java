package io.estafeta.template.bench;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import io.estafeta.template.CompiledTemplate;
import io.estafeta.template.RenderContext;
import io.estafeta.template.RenderException;
import io.estafeta.template.Target;
import io.estafeta.template.TemplateEngine;
import io.estafeta.template.TemplateException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Renders per second of a ~1 KB JSON webhook body (about 20 variables and an {@code #each} over 5
 * items): our contextual template against bare Handlebars.java (default settings: HTML escaping,
 * default resolvers) on the same source and data, in one run. Both build a fresh context with the
 * same {@code @event}, {@code @account} and {@code @delivery} data for every render.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(3)
public class TemplateBench {
  static final String TEMPLATE =
      """
      {
        "event": "{{@event.type}}",
        "eventId": "{{@event.id}}",
        "occurredAt": "{{@event.occurredAt}}",
        "account": "{{@account.name}}",
        "delivery": "{{@delivery.id}}",
        "call": {
          "id": "{{call.id}}",
          "status": "{{call.status}}",
          "duration": {{call.duration}},
          "recorded": {{call.recorded}},
          "queue": "{{call.queue}}",
          "topic": "{{call.topic}}"
        },
        "client": {
          "id": "{{client.id}}",
          "name": "{{client.name}}",
          "email": "{{client.email}}",
          "phone": "{{client.phone}}",
          "note": "Client {{client.name}} called about {{call.topic}}"
        },
        "agent": {"id": "{{agent.id}}", "name": "{{agent.name}}", "email": "{{agent.email}}"},
        "answers": [{{#each answers}}
          {"index": {{@index}}, "label": "{{label}}", "value": "{{value}}"}{{#unless @last}},{{/unless}}{{/each}}
        ],
        "source": "videsk",
        "version": 1
      }
      """;

  private Map<String, Object> data;
  private Map<String, Object> event;
  private Map<String, Object> account;
  private Map<String, Object> delivery;
  private CompiledTemplate contextual;
  private RenderContext renderContext;
  private Template bare;

  @Setup
  public void setUp() throws TemplateException, IOException {
    data = new LinkedHashMap<>();
    data.put(
        "call",
        Map.of(
            "id", "call_8f2a61",
            "status", "answered",
            "duration", 312,
            "recorded", true,
            "queue", "Ventas",
            "topic", "a \"refund\" request"));
    data.put(
        "client",
        Map.of(
            "id", "cl_1029",
            "name", "María José O'Higgins",
            "email", "mj@example.cl",
            "phone", "+56 9 1234 5678"));
    data.put("agent", Map.of("id", "ag_7", "name", "Pedro <Soporte>", "email", "pedro@example.cl"));
    List<Object> answers = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      answers.add(Map.of("label", "Question " + i, "value", "Answer & detail " + i));
    }
    data.put("answers", answers);
    event = Map.of("id", "evt_41", "type", "call.created", "occurredAt", "2024-05-01T13:45:00Z");
    account = Map.of("id", "acc_1", "name", "Acme");
    delivery = Map.of("id", "dlv_9");
    contextual = new TemplateEngine().compile(TEMPLATE, Target.JSON);
    renderContext = new RenderContext(data, event, account, delivery);
    bare = new Handlebars().compileInline(TEMPLATE);
  }

  @Benchmark
  public String contextual() throws RenderException {
    return contextual.render(renderContext);
  }

  @Benchmark
  public String bareHandlebars() throws IOException {
    Context context = Context.newBuilder(data).build();
    context.data("event", event);
    context.data("account", account);
    context.data("delivery", delivery);
    return bare.apply(context);
  }

  public static void main(String[] args) throws RunnerException {
    new Runner(new OptionsBuilder().include(TemplateBench.class.getName()).build()).run();
  }
}
