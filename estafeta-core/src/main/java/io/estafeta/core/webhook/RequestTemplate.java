package io.estafeta.core.webhook;

import io.estafeta.template.CompiledTemplate;
import io.estafeta.template.RenderContext;
import io.estafeta.template.RenderException;
import io.estafeta.template.Target;
import io.estafeta.template.TemplateEngine;
import io.estafeta.template.TemplateException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A webhook's templates, compiled once: the URL, each header value and the body. Rendering it for
 * an event gives the request every attempt of the delivery sends. Secret header values are not
 * templates: they are sent as written, so a secret can never be read into another place.
 */
public final class RequestTemplate {
  private final WebhookDefinition definition;
  private final CompiledTemplate url;
  private final List<CompiledTemplate> headers;
  private final CompiledTemplate body;

  private RequestTemplate(
      WebhookDefinition definition,
      CompiledTemplate url,
      List<CompiledTemplate> headers,
      CompiledTemplate body) {
    this.definition = definition;
    this.url = url;
    this.headers = headers;
    this.body = body;
  }

  /** Compiling came to a template, or to the errors of each field that does not compile. */
  public sealed interface Compiled permits Ready, Broken {}

  public record Ready(RequestTemplate template) implements Compiled {}

  public record Broken(List<FieldError> errors) implements Compiled {}

  public static Compiled compile(TemplateEngine engine, WebhookDefinition d) {
    List<FieldError> errors = new ArrayList<>();
    CompiledTemplate url = compile(engine, d.url(), Target.URL, "url", errors);
    List<CompiledTemplate> headers = new ArrayList<>();
    for (int i = 0; i < d.headers().size(); i++) {
      HeaderSpec h = d.headers().get(i);
      headers.add(
          h.secret()
              ? null
              : compile(
                  engine, h.value(), Target.HEADER_VALUE, "headers[" + i + "].value", errors));
    }
    CompiledTemplate body =
        d.body() == null
            ? null
            : compile(
                engine, d.body().template(), d.body().format().target(), "body.template", errors);
    return errors.isEmpty()
        ? new Ready(new RequestTemplate(d, url, headers, body))
        : new Broken(errors);
  }

  public WebhookDefinition definition() {
    return definition;
  }

  /**
   * Renders the request for one event.
   *
   * @throws RenderException when a template cannot be rendered for this event's data (loop budget,
   *     output size, a bad helper argument)
   */
  public RenderedRequest render(RenderContext ctx) throws RenderException {
    return new RenderedRequest(
        definition.method(),
        url.render(ctx),
        renderHeaders(ctx),
        renderBody(ctx),
        definition.timeout());
  }

  List<HeaderSpec> renderHeaders(RenderContext ctx) throws RenderException {
    List<HeaderSpec> out = new ArrayList<>();
    boolean contentType = false;
    for (int i = 0; i < definition.headers().size(); i++) {
      HeaderSpec h = definition.headers().get(i);
      contentType |= h.name().equalsIgnoreCase("Content-Type");
      out.add(h.secret() ? h : new HeaderSpec(h.name(), headers.get(i).render(ctx), false));
    }
    if (definition.body() != null && !contentType) {
      out.add(new HeaderSpec("Content-Type", definition.body().format().contentType(), false));
    }
    return out;
  }

  String renderBody(RenderContext ctx) throws RenderException {
    return body == null ? null : body.render(ctx);
  }

  /** Each field's template with the variables it reads, for the schema check. */
  public Map<String, Set<String>> variablesByField() {
    Map<String, Set<String>> out = new LinkedHashMap<>();
    out.put("url", url.variables());
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i) != null) {
        out.put("headers[" + i + "].value", headers.get(i).variables());
      }
    }
    if (body != null) {
      out.put("body.template", body.variables());
    }
    return out;
  }

  /** The compiled templates by field, with their targets, for checking rendered output. */
  Map<String, CompiledTemplate> templatesByField() {
    Map<String, CompiledTemplate> out = new LinkedHashMap<>();
    out.put("url", url);
    for (int i = 0; i < headers.size(); i++) {
      if (headers.get(i) != null) {
        out.put("headers[" + i + "].value", headers.get(i));
      }
    }
    if (body != null) {
      out.put("body.template", body);
    }
    return out;
  }

  private static CompiledTemplate compile(
      TemplateEngine engine, String source, Target target, String field, List<FieldError> errors) {
    try {
      return engine.compile(source, target);
    } catch (TemplateException e) {
      errors.add(new FieldError(field, at(e.line(), e.column()) + e.getMessage()));
      return null;
    }
  }

  static String at(int line, int column) {
    return line > 0 ? String.format(Locale.ROOT, "line %d, column %d: ", line, column) : "";
  }
}
