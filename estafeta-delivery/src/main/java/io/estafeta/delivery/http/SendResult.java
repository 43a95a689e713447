package io.estafeta.delivery.http;

import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/** The outcome of one attempt: an HTTP answer of any status, or no answer at all. */
public sealed interface SendResult {

  long durationMs();

  /**
   * The receiver answered. {@code body} holds at most {@link HttpSender#MAX_RESPONSE_BODY} bytes;
   * {@code truncated} says there was more (which was not read).
   */
  record Responded(
      int status, List<Header> headers, byte[] body, boolean truncated, long durationMs)
      implements SendResult {

    public Responded {
      headers = List.copyOf(headers);
      Objects.requireNonNull(body, "body");
    }

    /** The first value of a header, matched case-insensitively (e.g. {@code Retry-After}). */
    public Optional<String> header(String name) {
      String wanted = name.toLowerCase(Locale.ROOT);
      return headers.stream()
          .filter(h -> h.name().toLowerCase(Locale.ROOT).equals(wanted))
          .map(Header::value)
          .findFirst();
    }
  }

  /** No HTTP answer; {@code message} says why, for the attempt log. */
  record Failed(FailureKind kind, String message, long durationMs) implements SendResult {
    public Failed {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(message, "message");
    }
  }

  enum FailureKind {
    /** No complete answer within the request's timeout (connect, wait or read). */
    TIMEOUT,
    /** Refused, reset, closed early or unreachable. */
    CONNECTION,
    /** TLS handshake or certificate failure. */
    TLS,
    /** The destination filter refused every connection; nothing was sent. Never retried. */
    BLOCKED_DESTINATION,
    /** The host has no address (bad literal, unknown name). */
    UNRESOLVABLE,
    /** The receiver spoke something that is not HTTP/1.1, or the request could not be framed. */
    PROTOCOL
  }
}
