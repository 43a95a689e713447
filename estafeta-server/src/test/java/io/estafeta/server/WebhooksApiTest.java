package io.estafeta.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.estafeta.server.TestServer.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class WebhooksApiTest {
  static TestServer api;
  static TestServer.NewAccount acc;

  static final String VALID =
      """
      {
        "name": "CRM notes",
        "events": ["call.created"],
        "method": "POST",
        "url": "https://crm.example.com/clients/{{client.id}}/notes?source=videsk&call={{id}}",
        "headers": [{"name": "Authorization", "value": "Bearer s3cr3t", "secret": true},
                    {"name": "X-Agent", "value": "{{agent.email}}"}],
        "body": {"format": "json", "template": "{\\"text\\": \\"{{client.name}} called\\"}"},
        "enabled": true,
        "timeout": "15s"
      }
      """;

  @BeforeAll
  static void start() {
    api = TestServer.start();
    acc = api.account("Webhooks");
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static ObjectNode valid() {
    try {
      return (ObjectNode) TestServer.JSON.readTree(VALID);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void createGetListReplaceDelete() {
    Answer created = api.post("/api/v1/webhooks", acc.key(), VALID);
    assertThat(created.status()).isEqualTo(201);
    var w = created.json();
    String id = w.path("id").asText();
    assertThat(id).startsWith("wh_");
    assertThat(w.path("signingSecret").asText()).startsWith("whsec_");
    assertThat(w.path("createdAt").asText()).isNotEmpty();
    assertThat(w.path("warnings").isArray()).isTrue();
    assertThat(w.path("timeout").asText()).isEqualTo("15s");
    assertThat(w.path("headers").get(0).path("value").isNull()).isTrue();
    assertThat(w.path("headers").get(0).path("secret").asBoolean()).isTrue();
    assertThat(w.path("headers").get(1).path("value").asText()).isEqualTo("{{agent.email}}");
    assertThat(created.text()).doesNotContain("s3cr3t");

    Answer got = api.get("/api/v1/webhooks/" + id, acc.key());
    assertThat(got.status()).isEqualTo(200);
    assertThat(got.json().path("name").asText()).isEqualTo("CRM notes");
    assertThat(got.text()).doesNotContain("s3cr3t");
    assertThat(api.get("/api/v1/webhooks", acc.key()).text()).contains(id);

    // Sending the webhook back as read keeps the secret header's value.
    ObjectNode back = (ObjectNode) got.json();
    back.put("name", "CRM notes v2");
    Answer replaced = api.call("PUT", "/api/v1/webhooks/" + id, acc.key(), back.toString());
    assertThat(replaced.status()).isEqualTo(200);
    assertThat(replaced.json().path("name").asText()).isEqualTo("CRM notes v2");
    assertThat(replaced.json().path("signingSecret").asText())
        .isEqualTo(w.path("signingSecret").asText());
    assertThat(replaced.json().path("createdAt").asText()).isEqualTo(w.path("createdAt").asText());

    Answer deleted = api.call("DELETE", "/api/v1/webhooks/" + id, acc.key(), (byte[]) null);
    assertThat(deleted.status()).isEqualTo(204);
    assertThat(api.get("/api/v1/webhooks/" + id, acc.key()).status()).isEqualTo(404);
  }

  @Test
  void secretsAreEncryptedAtRest() throws Exception {
    api.post("/api/v1/webhooks", acc.key(), VALID.replace("s3cr3t", "SuperSecretValue42"));
    String stored = api.storedText();
    assertThat(stored).contains("crm.example.com");
    assertThat(stored).doesNotContain("SuperSecretValue42").doesNotContain("whsec_");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "name       | null",
        "name       | 42",
        "name       | '\"\"'",
        "events     | null",
        "events     | '[]'",
        "events[0]  | '[\"call.nope\"]'",
        "events[1]  | '[\"call.created\", \"call.created\"]'",
        "events     | '\"call.created\"'",
        "events[0]  | '[5]'",
        "method     | '\"FETCH\"'",
        "method     | '\"post\"'",
        "method     | null",
        "url        | null",
        "url        | '\"ftp://example.com/x\"'",
        "url        | '\"/relative/path\"'",
        "url        | '\"https://{{host}}/x\"'",
        "url        | '\"https://example.com:{{port}}/x\"'",
        "url        | '\"{{scheme}}://example.com/x\"'",
        "url        | '\"https://user:pw@example.com/x\"'",
        "headers    | '{}'",
        "headers[0].name | '[{\"name\": \"Host\", \"value\": \"x\"}]'",
        "headers[0].name | '[{\"name\": \"content-length\", \"value\": \"1\"}]'",
        "headers[0].name | '[{\"name\": \"Transfer-Encoding\", \"value\": \"x\"}]'",
        "headers[0].name | '[{\"name\": \"Connection\", \"value\": \"x\"}]'",
        "headers[0].name | '[{\"name\": \"Bad Name\", \"value\": \"x\"}]'",
        "headers[0].name | '[{\"name\": \"{{x}}\", \"value\": \"x\"}]'",
        "headers[0].value | '[{\"name\": \"X-A\"}]'",
        "headers[0].value | '[{\"name\": \"X-A\", \"value\": 3}]'",
        "headers[0].value | '[{\"name\": \"X-A\", \"value\": null, \"secret\": true}]'",
        "headers[0].secret | '[{\"name\": \"X-A\", \"value\": \"v\", \"secret\": \"yes\"}]'",
        "body       | '\"text\"'",
        "body.format | '{\"format\": \"html\", \"template\": \"x\"}'",
        "body.template | '{\"format\": \"json\"}'",
        "enabled    | '\"yes\"'",
        "timeout    | '\"fast\"'",
        "timeout    | '\"10m\"'",
        "timeout    | '15'",
        "color      | '\"red\"'",
      })
  void everyRuleIsA422NamingTheField(String field, String value) throws Exception {
    ObjectNode body = valid();
    String top = field.replaceAll("[\\[.].*", "");
    body.set(top, TestServer.JSON.readTree(value));
    Answer a = api.post("/api/v1/webhooks", acc.key(), body.toString());
    assertThat(a.status()).as(a.text()).isEqualTo(422);
    assertThat(a.contentType()).startsWith("application/problem+json");
    assertThat(a.json().path("title").asText()).isNotEmpty();
    assertThat(a.errorsByField()).as(a.text()).containsKey(field);
  }

  @Test
  void bodyIsRefusedWithGetAndHead() {
    for (String method : new String[] {"GET", "HEAD"}) {
      ObjectNode body = valid();
      body.put("method", method);
      Answer a = api.post("/api/v1/webhooks", acc.key(), body.toString());
      assertThat(a.status()).isEqualTo(422);
      assertThat(a.errorsByField()).containsKey("body");
      body.remove("body");
      assertThat(api.post("/api/v1/webhooks", acc.key(), body.toString()).status()).isEqualTo(201);
    }
  }

  @Test
  void allSevenMethodsAndSixFormatsAreAccepted() {
    for (String method : new String[] {"POST", "PATCH", "DELETE", "PUT", "OPTIONS"}) {
      ObjectNode body = valid();
      body.put("method", method);
      assertThat(api.post("/api/v1/webhooks", acc.key(), body.toString()).status())
          .as(method)
          .isEqualTo(201);
    }
    String[][] formats = {
      {"json", "{\"a\": 1}"},
      {"xml", "<a>{{client.name}}</a>"},
      {"text", "hello {{client.name}}"},
      {"csv", "id,name\n{{id}},{{client.name}}\n"},
      {"yaml", "name: {{client.name}}\n"},
      {"form", "name={{client.name}}&id={{id}}"},
    };
    for (String[] f : formats) {
      ObjectNode body = valid();
      body.putObject("body").put("format", f[0]).put("template", f[1]);
      Answer a = api.post("/api/v1/webhooks", acc.key(), body.toString());
      assertThat(a.status()).as(f[0] + ": " + a.text()).isEqualTo(201);
      assertThat(a.json().path("body").path("format").asText()).isEqualTo(f[0]);
    }
  }

  @Test
  void anotherAccountCanNeitherSeeNorChangeIt() {
    var other = api.account("Other");
    String id = api.post("/api/v1/webhooks", acc.key(), VALID).json().path("id").asText();
    assertThat(api.get("/api/v1/webhooks/" + id, other.key()).status()).isEqualTo(404);
    assertThat(api.get("/api/v1/webhooks", other.key()).text()).doesNotContain(id);
    assertThat(api.call("PUT", "/api/v1/webhooks/" + id, other.key(), VALID).status())
        .isEqualTo(404);
    assertThat(api.call("DELETE", "/api/v1/webhooks/" + id, other.key(), (byte[]) null).status())
        .isEqualTo(404);
    Answer still = api.get("/api/v1/webhooks/" + id, acc.key());
    assertThat(still.status()).isEqualTo(200);
    assertThat(still.json().path("name").asText()).isEqualTo("CRM notes");
  }

  @Test
  void webhookRoutesNeedAnAccountKey() {
    assertThat(api.get("/api/v1/webhooks", null).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/webhooks", "est_forged").status()).isEqualTo(401);
    assertThat(api.post("/api/v1/webhooks", null, VALID).status()).isEqualTo(401);
    assertThat(api.get("/api/v1/webhooks", TestServer.ADMIN).status()).isEqualTo(403);
    assertThat(api.get("/api/v1/webhooks/wh_missing", acc.key()).status()).isEqualTo(404);
  }

  @Test
  void catalogServesThe26Types() {
    Answer a = api.get("/api/v1/event-types", acc.key());
    assertThat(a.status()).isEqualTo(200);
    assertThat(a.json().size()).isEqualTo(26);
    var first = a.json().get(0);
    assertThat(first.path("type").asText()).isEqualTo("queue.joined");
    assertThat(first.path("name").path("es").asText()).isEqualTo("Nueva fila");
    assertThat(first.path("schema").path("type").asText()).isEqualTo("object");
    assertThat(first.path("sample").isObject()).isTrue();
    assertThat(api.get("/api/v1/event-types", null).status()).isEqualTo(401);
  }

  Answer withBody(String format, String template) {
    ObjectNode body = valid();
    body.putObject("body").put("format", format).put("template", template);
    return api.post("/api/v1/webhooks", acc.key(), body.toString());
  }

  @Test
  void aTemplateThatDoesNotCompileIsA422WithLineAndColumn() {
    Answer a = withBody("json", "{\n  \"a\": {{#if client}}1\n}");
    assertThat(a.status()).as(a.text()).isEqualTo(422);
    assertThat(a.errorsByField().get("body.template")).containsPattern("line \\d+, column \\d+");
    Answer partial = withBody("text", "hello {{> secrets}}");
    assertThat(partial.errorsByField()).containsKey("body.template");
    Answer method = withBody("text", "{{client.name.toUpperCase}} {{client.getClass}}");
    assertThat(method.status()).isIn(201, 422);
    if (method.status() == 201) {
      // Method names are plain (missing) keys: they render empty, never call Java.
      String id = method.json().path("id").asText();
      Answer preview = api.post("/api/v1/webhooks/" + id + "/preview", acc.key(), null);
      assertThat(preview.json().path("body").asText()).isEqualTo(" ");
    }
  }

  @Test
  void aBodyThatDoesNotParseInItsFormatIsA422() {
    Answer json = withBody("json", "{\"a\": 1,,}");
    assertThat(json.status()).as(json.text()).isEqualTo(422);
    assertThat(json.errorsByField().get("body.template")).contains("call.created");
    Answer xml = withBody("xml", "<a><b></a>");
    assertThat(xml.status()).isEqualTo(422);
    assertThat(xml.errorsByField()).containsKey("body.template");
  }

  @Test
  void unsafePlacesAreRefusedAtSaveTime() {
    ObjectNode raw = valid();
    raw.put("url", "https://crm.example.com/{{{client.id}}}");
    assertThat(api.post("/api/v1/webhooks", acc.key(), raw.toString()).errorsByField())
        .containsKey("url");
    ObjectNode header = valid();
    header.putArray("headers").addObject().put("name", "X-A").put("value", "{{{client.name}}}");
    assertThat(api.post("/api/v1/webhooks", acc.key(), header.toString()).errorsByField())
        .containsKey("headers[0].value");
    Answer jsonKey = withBody("json", "{ {{client.name}}: 1 }");
    assertThat(jsonKey.errorsByField()).containsKey("body.template");
    Answer xmlTag = withBody("xml", "<{{client.name}}>x</{{client.name}}>");
    assertThat(xmlTag.errorsByField()).containsKey("body.template");
  }

  @Test
  void variablesNoSubscribedEventDefinesAreWarnings() {
    Answer a = withBody("json", "{\"n\": {{client.nmae}}, \"ok\": {{client.name}}}");
    assertThat(a.status()).as(a.text()).isEqualTo(201);
    String warnings = a.json().path("warnings").toString();
    assertThat(warnings).contains("client.nmae").doesNotContain("client.name}");
    String id = a.json().path("id").asText();
    assertThat(api.get("/api/v1/webhooks/" + id, acc.key()).json().path("warnings").toString())
        .contains("client.nmae");
  }

  @Test
  void previewRendersTheExactRequestWithSecretsMasked() {
    String id = api.post("/api/v1/webhooks", acc.key(), VALID).json().path("id").asText();
    Answer sample = api.post("/api/v1/webhooks/" + id + "/preview", acc.key(), null);
    assertThat(sample.status()).as(sample.text()).isEqualTo(200);
    assertThat(sample.json().path("method").asText()).isEqualTo("POST");
    assertThat(sample.json().path("url").asText()).startsWith("https://crm.example.com/clients/");
    assertThat(sample.text()).doesNotContain("s3cr3t");

    Answer custom =
        api.post(
            "/api/v1/webhooks/" + id + "/preview",
            acc.key(),
            "{\"type\": \"call.created\", \"data\": {\"id\": \"c&1\", \"client\":"
                + " {\"id\": \"a/b\", \"name\": \"Ana \\\"Q\\\"\"}}}");
    assertThat(custom.status()).as(custom.text()).isEqualTo(200);
    assertThat(custom.json().path("url").asText())
        .isEqualTo("https://crm.example.com/clients/a%2Fb/notes?source=videsk&call=c%261");
    assertThat(custom.json().path("body").asText())
        .isEqualTo("{\"text\": \"Ana \\\"Q\\\" called\"}");
    var headers = custom.json().path("headers");
    assertThat(headers.toString()).contains("Content-Type").contains("application/json");
    assertThat(
            api.post("/api/v1/webhooks/" + id + "/preview", acc.key(), "{\"type\": \"x\"}")
                .status())
        .isEqualTo(422);

    int saved = api.get("/api/v1/webhooks", acc.key()).json().path("items").size();
    ObjectNode draft = valid();
    draft.putObject("body").put("format", "yaml").put("template", "name: {{client.name}}\n");
    draft.put("type", "call.created");
    Answer d = api.post("/api/v1/webhooks/preview", acc.key(), draft.toString());
    assertThat(d.status()).as(d.text()).isEqualTo(200);
    assertThat(d.json().path("body").asText()).startsWith("name: \"");
    assertThat(d.json().path("warnings").isArray()).isTrue();
    draft.put("method", "FETCH");
    assertThat(api.post("/api/v1/webhooks/preview", acc.key(), draft.toString()).errorsByField())
        .containsKey("method");
    // A draft preview saves nothing.
    assertThat(api.get("/api/v1/webhooks", acc.key()).json().path("items")).hasSize(saved);
  }
}
