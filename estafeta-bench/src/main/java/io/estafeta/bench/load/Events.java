package io.estafeta.bench.load;

/**
 * The bench's events and webhooks: a {@code call.created} event with the catalog sample's fields
 * (about 1 KiB of data) and a realistic CRM webhook over it. The publish time, in epoch
 * microseconds, travels in the data as {@code publishedAt} and comes back to the receiver in the
 * {@code X-Published-At} header the webhook templates.
 */
public final class Events {
  private Events() {}

  public static final String TYPE = "call.created";

  // The catalog's call.created sample without its id, which each event gets its own of.
  private static final String REST =
      """
      "queueEntryId":"qe_7Hk2Pw9Xc4",\
      "agent":{"id":"usr_3fK9pQ2wLx","name":"Camila Rojas Fuentes",\
      "email":"camila.rojas@example.com","role":"agent"},\
      "client":{"id":"cli_5Lm8Rt2Qa","name":"María José Núñez","email":"mjose.nunez@example.com",\
      "phone":"+56912345678","documentId":"15.432.876-K","externalId":"CRM-0048213",\
      "language":"es-CL"},\
      "queue":{"id":"que_2Wd6Kp1Ms","name":"Atención Clientes Hogar"},\
      "segment":{"id":"seg_4Hx9Fb2Lq","name":"Soporte técnico fibra"},\
      "channel":"video","status":"completed","startedAt":"2026-11-20T14:10:48Z",\
      "endedAt":"2026-11-20T14:23:40Z","durationSeconds":772,"waitSeconds":456,\
      "recording":{"id":"rec_2Bn8Kx5Wq",\
      "url":"https://media.example.com/recordings/rec_2Bn8Kx5Wq.webm","status":"processing"},\
      "quality":{"videoResolution":"1280x720","averageBitrateKbps":1450,"packetLossPercent":0.4},\
      "tags":["falla_fibra","visita_tecnica","resuelto_parcial"]\
      """;

  /** One event as the API takes it, with the producer's id and the publish time. */
  public static void event(StringBuilder out, String eventId, long n, long publishedMicros) {
    out.append("{\"id\":\"")
        .append(eventId)
        .append("\",\"type\":\"")
        .append(TYPE)
        .append("\",\"data\":");
    data(out, n, publishedMicros);
    out.append('}');
  }

  /** The event's data. */
  public static void data(StringBuilder out, long n, long publishedMicros) {
    out.append("{\"publishedAt\":")
        .append(publishedMicros)
        .append(",\"id\":\"call_")
        .append(n)
        .append("\",")
        .append(REST)
        .append('}');
  }

  /** The webhook every scenario uses, pointed at a receiver URL ({@code http://127.0.0.1:P}). */
  public static String webhook(String receiverBase, String path) {
    String url = receiverBase + path + "/{{client.id}}/notes?call={{id}}";
    String body =
        "{\"call\": \"{{id}}\", \"client\": {{client}}, \"agent\": {\"name\": \"{{agent.name}}\","
            + " \"email\": \"{{agent.email}}\"}, \"queue\": \"{{queue.name}}\","
            + " \"durationSeconds\": {{durationSeconds}},"
            + " \"text\": \"{{client.name}} called about {{segment.name}}\"}";
    var o = Api.JSON.createObjectNode();
    o.put("name", "bench " + path);
    o.putArray("events").add(TYPE);
    o.put("method", "POST");
    o.put("url", url);
    var headers = o.putArray("headers");
    headers.addObject().put("name", "Authorization").put("value", SECRET).put("secret", true);
    headers.addObject().put("name", "X-Published-At").put("value", "{{publishedAt}}");
    headers.addObject().put("name", "X-Call").put("value", "{{id}}");
    o.putObject("body").put("format", "json").put("template", body);
    o.put("enabled", true);
    o.put("timeout", "15s");
    return o.toString();
  }

  /** The secret header's value: the preview masks it, the limit sends it as Estafeta does. */
  public static final String SECRET = "Bearer s3cr3t-0123456789abcdef";
}
