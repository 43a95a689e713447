package io.estafeta.delivery.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Our signatures, checked by the independent Standard Webhooks Java library. */
class StandardWebhooksSignerTest {

  private final StandardWebhooksSigner signer = new StandardWebhooksSigner();

  @Test
  void matchesTheSpecificationExample() {
    // The example of the Standard Webhooks specification.
    byte[] secret = StandardWebhooksSigner.parseSecret("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw");

    String signature =
        signer.signature(
            List.of(secret),
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330L,
            "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8));

    assertThat(signature).isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
  }

  @Test
  void independentLibraryVerifiesOurSignature() {
    String secret = StandardWebhooksSigner.generateSecret();
    String body = "{\"client\":{\"name\":\"Zoë Ñúñez\"},\"text\":\"llamó ☎\"}";
    long now = Instant.now().getEpochSecond();

    String signature =
        signer.signature(
            List.of(StandardWebhooksSigner.parseSecret(secret)),
            "dlv_01HZX",
            now,
            body.getBytes(StandardCharsets.UTF_8));

    assertThatCode(() -> new Webhook(secret).verify(body, headers("dlv_01HZX", now, signature)))
        .doesNotThrowAnyException();
  }

  @Test
  void twoSecretSignatureVerifiesUnderEachSecretForRotation() throws Exception {
    String oldSecret = StandardWebhooksSigner.generateSecret();
    String newSecret = StandardWebhooksSigner.generateSecret();
    String body = "{\"event\":\"call.created\"}";
    long now = Instant.now().getEpochSecond();

    String signature =
        signer.signature(
            List.of(
                StandardWebhooksSigner.parseSecret(oldSecret),
                StandardWebhooksSigner.parseSecret(newSecret)),
            "dlv_2",
            now,
            body.getBytes(StandardCharsets.UTF_8));

    assertThat(signature.split(" ")).hasSize(2).allMatch(part -> part.startsWith("v1,"));
    new Webhook(oldSecret).verify(body, headers("dlv_2", now, signature));
    new Webhook(newSecret).verify(body, headers("dlv_2", now, signature));
    String stranger = StandardWebhooksSigner.generateSecret();
    assertThatThrownBy(() -> new Webhook(stranger).verify(body, headers("dlv_2", now, signature)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void agreesWithTheLibrarysOwnSigning() throws Exception {
    String secret = "whsec_" + "c2VjcmV0LWtleS1mb3ItdGVzdGluZy0xMjM0NTY3OA==";
    String body = "<event type=\"form.received\">señal</event>";

    String ours =
        signer.signature(
            List.of(StandardWebhooksSigner.parseSecret(secret)),
            "msg_1",
            1700000000L,
            body.getBytes(StandardCharsets.UTF_8));

    assertThat(ours).isEqualTo(new Webhook(secret).sign("msg_1", 1700000000L, body));
  }

  @Test
  void tamperedBodyIdOrTimestampFailsVerification() throws Exception {
    String secret = StandardWebhooksSigner.generateSecret();
    long now = Instant.now().getEpochSecond();
    String signature =
        signer.signature(
            List.of(StandardWebhooksSigner.parseSecret(secret)),
            "dlv_3",
            now,
            "{\"amount\":1}".getBytes(StandardCharsets.UTF_8));
    Webhook webhook = new Webhook(secret);

    assertThatThrownBy(() -> webhook.verify("{\"amount\":2}", headers("dlv_3", now, signature)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> webhook.verify("{\"amount\":1}", headers("dlv_4", now, signature)))
        .isInstanceOf(WebhookVerificationException.class);
    assertThatThrownBy(() -> webhook.verify("{\"amount\":1}", headers("dlv_3", now - 1, signature)))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void emptyOrMissingBodyIsSignedAsNoBytes() throws Exception {
    String secret = StandardWebhooksSigner.generateSecret();
    long now = Instant.now().getEpochSecond();
    byte[] key = StandardWebhooksSigner.parseSecret(secret);

    String forNull = signer.signature(List.of(key), "dlv_5", now, null);

    assertThat(forNull).isEqualTo(signer.signature(List.of(key), "dlv_5", now, new byte[0]));
    new Webhook(secret).verify("", headers("dlv_5", now, forNull));
  }

  @Test
  void secretsRoundTripAndBadOnesAreRefusedWithoutEchoingThem() {
    byte[] key = {1, 2, 3, 4, 5, 6, 7, 8};

    String text = StandardWebhooksSigner.formatSecret(key);

    assertThat(text).isEqualTo("whsec_AQIDBAUGBwg=");
    assertThat(StandardWebhooksSigner.parseSecret(text)).isEqualTo(key);
    assertThat(StandardWebhooksSigner.parseSecret("AQIDBAUGBwg=")).isEqualTo(key);
    assertThat(StandardWebhooksSigner.generateSecret()).startsWith("whsec_").hasSize(6 + 44);
    assertThatThrownBy(() -> StandardWebhooksSigner.parseSecret("whsec_not*base64!"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("not*base64");
    assertThatThrownBy(() -> StandardWebhooksSigner.parseSecret("whsec_"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> signer.signature(List.of(), "id", 1, new byte[0]))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
    return Map.of(
        "webhook-id", List.of(id),
        "webhook-timestamp", List.of(Long.toString(timestamp)),
        "webhook-signature", List.of(signature));
  }
}
