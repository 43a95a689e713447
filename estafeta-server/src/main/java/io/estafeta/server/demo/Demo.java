package io.estafeta.server.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.core.catalog.EventCatalog;
import io.estafeta.core.catalog.EventType;
import io.estafeta.server.api.Bodies;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ./estafeta demo}: over a running node's own API, a demo account, a receiver on a loopback
 * port, ready-made webhooks in JSON, XML and CSV, and a trickle of events of every type.
 */
public final class Demo implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Demo.class);

  /** What a newcomer needs to know. */
  public record Started(
      String accountId,
      String apiKey,
      String portalUrl,
      String receiverUrl,
      List<String> webhooks) {}

  private final HttpClient http = HttpClient.newHttpClient();
  private final String api;
  private final DemoReceiver receiver;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());
  private final AtomicLong published = new AtomicLong();
  private Started started;

  private final Random random;

  private Demo(String api, Random random) {
    this.api = api;
    this.random = random;
    this.receiver = new DemoReceiver(random);
  }

  /**
   * Sets the demo up on the node answering at {@code api} (a loopback URL) and publishes one event
   * every {@code every}, cycling through all the types in a shuffled order.
   */
  public static Demo start(String api, String adminToken, Duration every, Clock clock) {
    return start(api, adminToken, every, clock, new Random());
  }

  static Demo start(String api, String adminToken, Duration every, Clock clock, Random random) {
    Demo demo = new Demo(api, random);
    try {
      demo.setUp(adminToken);
      demo.trickle(every, clock);
      return demo;
    } catch (RuntimeException e) {
      demo.close();
      throw e;
    }
  }

  public Started started() {
    return started;
  }

  public long published() {
    return published.get();
  }

  public long received() {
    return receiver.received();
  }

  private void setUp(String adminToken) {
    JsonNode account =
        call("POST", "/api/v1/accounts", adminToken, object().put("name", "Clínica Andes (demo)"));
    String accountId = account.path("id").asText();
    String key = account.path("apiKey").asText();
    List<String> hooks = new ArrayList<>();
    for (ObjectNode hook : webhooks(receiver.url())) {
      hooks.add(call("POST", "/api/v1/webhooks", key, hook).path("id").asText());
    }
    String url =
        call("POST", "/api/v1/accounts/" + accountId + "/portal-link", adminToken, object())
            .path("url")
            .asText();
    started = new Started(accountId, key, url, receiver.url(), hooks);
  }

  private void trickle(Duration every, Clock clock) {
    List<EventType> types = EventCatalog.bundled().all();
    DemoEvents events = new DemoEvents(random);
    List<EventType> round = new ArrayList<>();
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            if (round.isEmpty()) {
              round.addAll(types);
              Collections.shuffle(round, random);
            }
            EventType type = round.removeLast();
            ObjectNode event = object().put("type", type.type());
            event.set("data", events.vary(type.sample(), clock.instant()));
            call("POST", "/api/v1/events", started.apiKey(), event);
            published.incrementAndGet();
          } catch (RuntimeException e) {
            // The node may be stopping; the next tick tries again.
            LOG.warn("demo: could not publish an event: {}", e.getMessage());
          }
        },
        0,
        every.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  /** The ready-made webhooks: a CRM in JSON, an archive in XML, a report in CSV, a log of all. */
  static List<ObjectNode> webhooks(String receiver) {
    return List.of(crm(receiver), archive(receiver), report(receiver), audit(receiver));
  }

  private static ObjectNode crm(String receiver) {
    return hook(
        "CRM — calls and queues (JSON)",
        List.of("queue.joined", "queue.abandoned", "call.created", "survey.received"),
        "POST",
        receiver + "/crm/clients/{{client.id}}/activities?source=estafeta&event={{@event.type}}",
        "json",
        """
        {
          "type": "{{@event.type}}",
          "eventId": "{{@event.id}}",
          "occurredAt": "{{@event.occurredAt}}",
          "client": {
            "id": {{client.id}},
            "name": {{client.name}},
            "email": {{client.email}}
          },
          "agent": {{agent.name}},
          "queue": {{queue.name}},
          "note": "{{client.name}} ({{@event.type}}) in {{queue.name}}"
        }\
        """);
  }

  private static ObjectNode archive(String receiver) {
    return hook(
        "Recording archive (XML)",
        List.of(
            "recording.created", "recording.approved", "recording.rejected", "recording.deleted"),
        "PUT",
        receiver + "/archive/recordings/{{id}}",
        "xml",
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <recording id="{{id}}" event="{{@event.type}}">
          <call>{{callId}}</call>
          <status>{{status}}</status>
          <durationSeconds>{{durationSeconds}}</durationSeconds>
          <agent email="{{agent.email}}">{{agent.name}}</agent>
          <client>{{client.name}}</client>
          <segment>{{segment.name}}</segment>
        </recording>\
        """);
  }

  private static ObjectNode report(String receiver) {
    return hook(
        "People and forms report (CSV)",
        List.of(
            "user.created",
            "user.updated",
            "user.deleted",
            "user.connected",
            "user.disconnected",
            "form.created",
            "form.updated",
            "form.deleted",
            "form.received"),
        "POST",
        receiver + "/reports/people.csv",
        "csv",
        """
        event,id,name,email,occurred_at
        {{@event.type}},{{id}},{{name}},{{email}},{{@event.occurredAt}}\
        """);
  }

  private static ObjectNode audit(String receiver) {
    return hook(
        "Audit log (every event, JSON)",
        EventCatalog.bundled().all().stream().map(EventType::type).toList(),
        "POST",
        receiver + "/audit?account={{@account.id}}",
        "json",
        """
        {"delivery": "{{@delivery.id}}", "event": "{{@event.id}}", "type": "{{@event.type}}",\
         "account": "{{@account.name}}", "id": {{id}}}\
        """);
  }

  private static ObjectNode hook(
      String name, List<String> events, String method, String url, String format, String body) {
    ObjectNode o = object().put("name", name).put("method", method).put("url", url);
    ArrayNode list = o.putArray("events");
    events.forEach(list::add);
    ArrayNode headers = o.putArray("headers");
    headers
        .addObject()
        .put("name", "Authorization")
        .put("value", "Bearer demo-receiver-token")
        .put("secret", true);
    headers.addObject().put("name", "X-Account").put("value", "{{@account.name}}");
    o.putObject("body").put("format", format).put("template", body);
    o.put("timeout", "5s");
    return o;
  }

  private static ObjectNode object() {
    return Bodies.JSON.createObjectNode();
  }

  private JsonNode call(String method, String path, String token, JsonNode body) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Authorization", "Bearer " + token)
            .header("Content-Type", "application/json")
            .method(method, HttpRequest.BodyPublishers.ofString(body.toString()))
            .timeout(Duration.ofSeconds(30))
            .build();
    try {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() >= 300) {
        throw new IllegalStateException(
            method + " " + path + " answered " + response.statusCode() + ": " + response.body());
      }
      return Bodies.JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
    receiver.close();
    http.close();
  }
}
