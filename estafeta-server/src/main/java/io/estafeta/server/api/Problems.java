package io.estafeta.server.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.webhook.FieldError;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns every failure into RFC 9457 problem+json, in one place; never a stack trace. */
public final class Problems {
  private static final Logger LOG = LoggerFactory.getLogger(Problems.class);
  private static final String WRITTEN = "estafeta.problem";

  private Problems() {}

  public static void install(RoutesConfig app) {
    app.exception(
        ApiException.class,
        (e, ctx) -> {
          if (e instanceof ApiException.TooManyRequests t) {
            ctx.header("Retry-After", Integer.toString(t.retryAfterSeconds()));
          }
          write(ctx, e.status(), e.title(), e.getMessage(), e.errors());
        });
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> write(ctx, e.getStatus(), title(e.getStatus()), e.getMessage(), List.of()));
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
          write(ctx, 500, "Internal error", "the server failed; the failure is logged", List.of());
        });
    app.error(404, ctx -> fallback(ctx, 404, "no such route: " + ctx.method() + " " + ctx.path()));
    app.error(405, ctx -> fallback(ctx, 405, ctx.method() + " is not allowed on " + ctx.path()));
    app.error(413, ctx -> fallback(ctx, 413, "the body is too large"));
  }

  /** Writes a problem unless one was written already (error handlers run after exceptions). */
  private static void fallback(Context ctx, int status, String detail) {
    if (ctx.attribute(WRITTEN) == null) {
      write(ctx, status, title(status), detail, List.of());
    }
  }

  static void write(Context ctx, int status, String title, String detail, List<FieldError> errors) {
    ObjectNode body = Bodies.JSON.createObjectNode();
    body.put("type", "about:blank");
    body.put("title", title);
    body.put("status", status);
    body.put("detail", detail);
    if (!errors.isEmpty()) {
      ArrayNode list = body.putArray("errors");
      errors.forEach(e -> list.addObject().put("field", e.field()).put("message", e.message()));
    }
    ctx.attribute(WRITTEN, Boolean.TRUE);
    ctx.status(status).contentType("application/problem+json").result(body.toString());
  }

  private static String title(int status) {
    return switch (status) {
      case 400 -> "Malformed request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not found";
      case 405 -> "Method not allowed";
      case 413 -> "Request body too large";
      case 415 -> "Unsupported media type";
      case 422 -> "Invalid request";
      case 429 -> "Too many requests";
      default -> status >= 500 ? "Internal error" : "Request refused";
    };
  }
}
