package io.estafeta.delivery.dispatch;

import io.estafeta.core.delivery.AttemptResult;
import io.estafeta.core.delivery.RetryAfter;
import io.estafeta.core.webhook.HeaderSpec;
import io.estafeta.core.webhook.RenderedRequest;
import io.estafeta.delivery.http.Header;
import io.estafeta.delivery.http.HttpSender;
import io.estafeta.delivery.http.OutboundRequest;
import io.estafeta.delivery.http.SendResult;
import io.estafeta.delivery.signing.StandardWebhooksSigner;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Sends one attempt of a rendered request: adds the fixed headers of contract §8 and the Standard
 * Webhooks signature, sends, and writes down what happened.
 */
public final class AttemptRunner {
  // Ours on every request: an account's header of the same name does not replace them.
  private static final Set<String> FIXED =
      Collections.unmodifiableSet(
          caseInsensitive(
              List.of(
                  "user-agent",
                  "x-powered-by",
                  "x-requested-with",
                  "webhook-id",
                  "webhook-timestamp",
                  "webhook-signature")));

  /** Header names compared as HTTP compares them, without lower-casing each one looked up. */
  static Set<String> caseInsensitive(Collection<String> names) {
    Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    set.addAll(names);
    return set;
  }

  private final HttpSender sender;
  private final StandardWebhooksSigner signer = new StandardWebhooksSigner();
  private final Clock clock;
  private final String userAgent;

  public AttemptRunner(HttpSender sender, Clock clock, String userAgent) {
    this.sender = sender;
    this.clock = clock;
    this.userAgent = userAgent;
  }

  /**
   * Sends {@code request} once.
   *
   * @param messageId the {@code webhook-id}: the delivery id, the same on every attempt
   * @param signingSecrets the webhook's {@code whsec_} secrets (several while one is rotated)
   */
  public Attempt run(String messageId, RenderedRequest request, List<String> signingSecrets) {
    Instant started = clock.instant();
    byte[] body = request.body() == null ? null : request.body().getBytes(StandardCharsets.UTF_8);
    List<Header> headers = headers(messageId, request, signingSecrets, started, body);
    String shown = ShownExchange.request(request, headers);
    URI url;
    try {
      url = URI.create(request.url());
    } catch (IllegalArgumentException e) {
      return new Attempt(
          started,
          0,
          new AttemptResult.TransientFailure("invalid URL"),
          "the rendered URL is not valid: " + e.getMessage(),
          shown,
          null);
    }
    SendResult result =
        sender.send(
            new OutboundRequest(request.method().name(), url, headers, body, request.timeout()));
    return attempt(started, result, shown);
  }

  /** The account's headers after ours, then the Standard Webhooks ones over the body. */
  private List<Header> headers(
      String messageId,
      RenderedRequest request,
      List<String> signingSecrets,
      Instant started,
      byte[] body) {
    long timestamp = started.getEpochSecond();
    List<Header> headers = new ArrayList<>();
    headers.add(new Header("User-Agent", userAgent));
    headers.add(new Header("X-Powered-By", "Estafeta"));
    headers.add(new Header("X-Requested-With", "Estafeta"));
    for (HeaderSpec h : request.headers()) {
      if (!FIXED.contains(h.name())) {
        headers.add(new Header(h.name(), h.value()));
      }
    }
    headers.add(new Header("webhook-id", messageId));
    headers.add(new Header("webhook-timestamp", Long.toString(timestamp)));
    headers.add(
        new Header(
            "webhook-signature",
            signer.signature(
                signingSecrets.stream().map(StandardWebhooksSigner::parseSecret).toList(),
                messageId,
                timestamp,
                body == null ? new byte[0] : body)));
    return headers;
  }

  private Attempt attempt(Instant started, SendResult result, String shown) {
    return switch (result) {
      case SendResult.Responded r ->
          new Attempt(
              started,
              r.durationMs(),
              new AttemptResult.Answered(
                  r.status(),
                  r.header("Retry-After").flatMap(v -> RetryAfter.parse(v, clock.instant()))),
              null,
              shown,
              ShownExchange.response(r));
      case SendResult.Failed f ->
          new Attempt(
              started,
              f.durationMs(),
              f.kind() == SendResult.FailureKind.BLOCKED_DESTINATION
                  ? new AttemptResult.Blocked(f.message())
                  : new AttemptResult.TransientFailure(f.message()),
              kind(f.kind()) + ": " + f.message(),
              shown,
              null);
    };
  }

  private static String kind(SendResult.FailureKind kind) {
    return kind.name().toLowerCase(Locale.ROOT).replace('_', ' ');
  }
}
