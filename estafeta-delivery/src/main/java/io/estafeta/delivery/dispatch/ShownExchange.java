package io.estafeta.delivery.dispatch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.RenderedRequest;
import io.estafeta.delivery.http.Header;
import io.estafeta.delivery.http.SendResult;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** An attempt's request and response as the attempt log stores them, as JSON text. */
final class ShownExchange {
  // Non-ASCII characters (the mask's bullets, a response's accents) written as JSON escapes: the
  // stored texts are then single-byte strings, which the database drivers encode cheaply.
  private static final ObjectMapper JSON =
      JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII).build();

  private ShownExchange() {}

  // What the attempt log shows; written by data binding. A header sent twice shows once, its
  // values joined by ", " as HTTP allows. No body: every attempt sends the delivery's.
  private record ShownRequest(String method, String url, Map<String, String> headers) {}

  private record ShownResponse(
      int status, Map<String, String> headers, String body, boolean truncated) {}

  private static final ObjectWriter REQUEST = JSON.writerFor(ShownRequest.class);
  private static final ObjectWriter RESPONSE = JSON.writerFor(ShownResponse.class);

  /** The request as the attempt log shows it: secret values masked, no body. */
  static String request(RenderedRequest request, List<Header> sent) {
    Set<String> secret = AttemptRunner.caseInsensitive(List.of());
    for (HeaderSpec h : request.headers()) {
      if (h.secret()) {
        secret.add(h.name());
      }
    }
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : sent) {
      String value =
          !secret.isEmpty() && secret.contains(h.name()) ? RenderedRequest.MASK : h.value();
      headers.merge(h.name(), value, (a, b) -> a + ", " + b);
    }
    return write(REQUEST, new ShownRequest(request.method().name(), request.url(), headers));
  }

  static String response(SendResult.Responded r) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (Header h : r.headers()) {
      headers.merge(h.name(), h.value(), (a, b) -> a + ", " + b);
    }
    return write(
        RESPONSE,
        new ShownResponse(
            r.status(), headers, new String(r.body(), StandardCharsets.UTF_8), r.truncated()));
  }

  private static String write(ObjectWriter writer, Object value) {
    try {
      return writer.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("an attempt could not be written as JSON", e);
    }
  }
}
