package io.estafeta.core.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import io.estafeta.core.DurationText;
import io.estafeta.core.catalog.EventCatalog;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a webhook definition from the JSON an account sent, checking every rule of contract §5 that
 * does not need the template engine, and naming the field of each problem.
 */
public final class WebhookReader {
  static final int MAX_NAME = 200;
  static final int MAX_URL = 8 * 1024;
  static final int MAX_HEADERS = 50;
  static final int MAX_HEADER_VALUE = 8 * 1024;
  static final int MAX_TEMPLATE = 64 * 1024;
  static final Duration MIN_TIMEOUT = Duration.ofMillis(100);
  static final Duration MAX_TIMEOUT = Duration.ofMinutes(2);

  private static final Set<String> FIELDS =
      Set.of("name", "events", "method", "url", "headers", "body", "enabled", "timeout");
  // Fields of an answer: a client may send a webhook back as it read it.
  private static final Set<String> READ_ONLY =
      Set.of("id", "createdAt", "updatedAt", "signingSecret", "warnings", "disabledReason");
  private static final Set<String> FORBIDDEN_HEADERS =
      Set.of("host", "content-length", "transfer-encoding", "connection");
  private static final Pattern TOKEN = Pattern.compile("[!#$%&'*+\\-.^_`|~0-9A-Za-z]{1,100}");
  private static final Pattern ORIGIN =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*)://([^/?#]*)(.*)$", Pattern.DOTALL);

  private final EventCatalog catalog;
  private final Duration defaultTimeout;

  public WebhookReader(EventCatalog catalog, Duration defaultTimeout) {
    this.catalog = catalog;
    this.defaultTimeout = defaultTimeout;
  }

  /** The outcome of reading: a definition, or the problems that prevent one. */
  public sealed interface Result permits Read, Refused {}

  public record Read(WebhookDefinition definition) implements Result {}

  public record Refused(List<FieldError> errors) implements Result {}

  /**
   * Reads a definition.
   *
   * @param previousHeaders the headers of the webhook being replaced (empty on create): a secret
   *     header sent back with a {@code null} value keeps its stored value
   */
  public Result read(JsonNode body, List<HeaderSpec> previousHeaders) {
    List<FieldError> errors = new ArrayList<>();
    if (body == null || !body.isObject()) {
      return new Refused(List.of(new FieldError("", "the webhook must be a JSON object")));
    }
    for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
      String field = it.next();
      if (!FIELDS.contains(field) && !READ_ONLY.contains(field)) {
        errors.add(new FieldError(clip(field), "unknown field"));
      }
    }
    String name = text(body, "name", errors, true);
    if (name != null && (name.isBlank() || name.length() > MAX_NAME)) {
      errors.add(new FieldError("name", "must be 1 to " + MAX_NAME + " characters"));
    }
    List<String> events = events(body.get("events"), errors);
    HttpMethod method = method(body.get("method"), errors);
    String url = text(body, "url", errors, true);
    if (url != null) {
      checkUrl(url, errors);
    }
    List<HeaderSpec> headers = headers(body.get("headers"), previousHeaders, errors);
    BodySpec spec = body(body.get("body"), method, errors);
    boolean enabled = true;
    JsonNode e = body.get("enabled");
    if (e != null && !e.isNull()) {
      if (e.isBoolean()) {
        enabled = e.booleanValue();
      } else {
        errors.add(new FieldError("enabled", "must be true or false"));
      }
    }
    Duration timeout = timeout(body.get("timeout"), errors);
    if (!errors.isEmpty()) {
      return new Refused(errors);
    }
    return new Read(
        new WebhookDefinition(name, events, method, url, headers, spec, enabled, timeout));
  }

  private List<String> events(JsonNode node, List<FieldError> errors) {
    List<String> events = new ArrayList<>();
    if (node == null || node.isNull()) {
      errors.add(new FieldError("events", "is required: a list of event types"));
      return events;
    }
    if (!node.isArray() || node.isEmpty()) {
      errors.add(new FieldError("events", "must be a non-empty list of event types"));
      return events;
    }
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode t = node.get(i);
      String field = "events[" + i + "]";
      if (!t.isTextual()) {
        errors.add(new FieldError(field, "must be an event type name"));
      } else if (!catalog.contains(t.textValue())) {
        errors.add(new FieldError(field, "'" + clip(t.textValue()) + "' is not an event type"));
      } else if (!seen.add(t.textValue())) {
        errors.add(new FieldError(field, "'" + t.textValue() + "' is listed twice"));
      } else {
        events.add(t.textValue());
      }
    }
    return events;
  }

  private static HttpMethod method(JsonNode node, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      errors.add(new FieldError("method", "is required"));
      return null;
    }
    if (node.isTextual()) {
      for (HttpMethod m : HttpMethod.values()) {
        if (m.name().equals(node.textValue())) {
          return m;
        }
      }
    }
    errors.add(new FieldError("method", "must be one of POST GET PATCH DELETE PUT OPTIONS HEAD"));
    return null;
  }

  /**
   * Checks what can be checked before templates are compiled: the scheme, host and port are
   * literal, and the URL is absolute http or https.
   */
  private static void checkUrl(String url, List<FieldError> errors) {
    if (url.length() > MAX_URL) {
      errors.add(new FieldError("url", "must be at most " + MAX_URL + " characters"));
      return;
    }
    var m = ORIGIN.matcher(url);
    if (!m.matches()) {
      errors.add(new FieldError("url", "must be an absolute http or https URL"));
      return;
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      errors.add(new FieldError("url", "the scheme must be http or https"));
      return;
    }
    String authority = m.group(2);
    if (authority.contains("{{") || authority.contains("}}")) {
      errors.add(new FieldError("url", "{{ }} is not allowed in the host or port"));
      return;
    }
    if (authority.contains("@")) {
      errors.add(new FieldError("url", "credentials in the URL are not allowed; use a header"));
      return;
    }
    try {
      URI origin = new URI(scheme + "://" + authority + "/");
      if (origin.getHost() == null || origin.getHost().isEmpty()) {
        errors.add(new FieldError("url", "the URL has no valid host"));
      }
    } catch (URISyntaxException ex) {
      errors.add(new FieldError("url", "the host or port is not valid: " + ex.getReason()));
    }
  }

  private List<HeaderSpec> headers(
      JsonNode node, List<HeaderSpec> previous, List<FieldError> errors) {
    List<HeaderSpec> headers = new ArrayList<>();
    if (node == null || node.isNull()) {
      return headers;
    }
    if (!node.isArray()) {
      errors.add(new FieldError("headers", "must be a list of {name, value, secret}"));
      return headers;
    }
    if (node.size() > MAX_HEADERS) {
      errors.add(new FieldError("headers", "at most " + MAX_HEADERS + " headers"));
      return headers;
    }
    for (int i = 0; i < node.size(); i++) {
      header("headers[" + i + "]", node.get(i), previous, errors).ifPresent(headers::add);
    }
    return headers;
  }

  /** One header of the list, or empty (with the errors named) when it cannot be used. */
  private Optional<HeaderSpec> header(
      String field, JsonNode h, List<HeaderSpec> previous, List<FieldError> errors) {
    if (!h.isObject()) {
      errors.add(new FieldError(field, "must be an object {name, value, secret}"));
      return Optional.empty();
    }
    JsonNode s = h.get("secret");
    boolean secret = false;
    if (s != null && !s.isNull()) {
      if (s.isBoolean()) {
        secret = s.booleanValue();
      } else {
        errors.add(new FieldError(field + ".secret", "must be true or false"));
      }
    }
    for (Iterator<String> it = h.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!Set.of("name", "value", "secret").contains(f)) {
        errors.add(new FieldError(field + "." + clip(f), "unknown field"));
      }
    }
    JsonNode n = h.get("name");
    String name = null;
    if (n == null || !n.isTextual() || !TOKEN.matcher(n.textValue()).matches()) {
      errors.add(
          new FieldError(field + ".name", "must be a header name (letters, digits, - and _)"));
    } else if (FORBIDDEN_HEADERS.contains(n.textValue().toLowerCase(Locale.ROOT))) {
      errors.add(new FieldError(field + ".name", n.textValue() + " is set by Estafeta"));
    } else {
      name = n.textValue();
    }
    String value = headerValue(field, h.get("value"), secret, name, previous, errors);
    return name != null && value != null
        ? Optional.of(new HeaderSpec(name, value, secret))
        : Optional.empty();
  }

  /** A header's value; a secret one left out keeps the value it had. */
  private static String headerValue(
      String field,
      JsonNode v,
      boolean secret,
      String name,
      List<HeaderSpec> previous,
      List<FieldError> errors) {
    if (v == null || v.isNull()) {
      String kept = secret && name != null ? previousSecret(previous, name).orElse(null) : null;
      if (kept == null) {
        errors.add(new FieldError(field + ".value", "is required"));
      }
      return kept;
    }
    if (!v.isTextual()) {
      errors.add(new FieldError(field + ".value", "must be a string"));
      return null;
    }
    if (v.textValue().length() > MAX_HEADER_VALUE) {
      errors.add(
          new FieldError(field + ".value", "must be at most " + MAX_HEADER_VALUE + " characters"));
      return null;
    }
    return v.textValue();
  }

  private static Optional<String> previousSecret(List<HeaderSpec> previous, String name) {
    return previous.stream()
        .filter(h -> h.secret() && h.name().equalsIgnoreCase(name))
        .map(HeaderSpec::value)
        .findFirst();
  }

  private static BodySpec body(JsonNode node, HttpMethod method, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      errors.add(new FieldError("body", "must be an object {format, template}"));
      return null;
    }
    if (method != null && !method.allowsBody()) {
      errors.add(new FieldError("body", "a " + method + " request cannot have a body"));
      return null;
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("format") && !f.equals("template")) {
        errors.add(new FieldError("body." + clip(f), "unknown field"));
      }
    }
    JsonNode f = node.get("format");
    Optional<BodyFormat> format =
        f != null && f.isTextual() ? BodyFormat.fromApiName(f.textValue()) : Optional.empty();
    if (format.isEmpty()) {
      errors.add(new FieldError("body.format", "must be one of json, xml, text, csv, yaml, form"));
    }
    JsonNode t = node.get("template");
    if (t == null || !t.isTextual()) {
      errors.add(new FieldError("body.template", "is required: the body's template text"));
      return null;
    }
    if (t.textValue().length() > MAX_TEMPLATE) {
      errors.add(new FieldError("body.template", "must be at most 64 KiB"));
      return null;
    }
    return format.map(fmt -> new BodySpec(fmt, t.textValue())).orElse(null);
  }

  private Duration timeout(JsonNode node, List<FieldError> errors) {
    if (node == null || node.isNull()) {
      return defaultTimeout;
    }
    if (!node.isTextual()) {
      errors.add(new FieldError("timeout", "must be a duration such as 15s"));
      return null;
    }
    try {
      Duration d = DurationText.parse(node.textValue());
      if (d.compareTo(MIN_TIMEOUT) < 0 || d.compareTo(MAX_TIMEOUT) > 0) {
        errors.add(new FieldError("timeout", "must be between 100ms and 2m"));
      }
      return d;
    } catch (IllegalArgumentException e) {
      errors.add(new FieldError("timeout", e.getMessage()));
      return null;
    }
  }

  private static String text(JsonNode body, String field, List<FieldError> errors, boolean req) {
    JsonNode n = body.get(field);
    if (n == null || n.isNull()) {
      if (req) {
        errors.add(new FieldError(field, "is required"));
      }
      return null;
    }
    if (!n.isTextual()) {
      errors.add(new FieldError(field, "must be a string"));
      return null;
    }
    return n.textValue();
  }

  private static String clip(String s) {
    return s.length() > 100 ? s.substring(0, 100) + "…" : s;
  }
}
