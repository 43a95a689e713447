package io.estafeta.server.api;

import io.estafeta.core.webhook.FieldError;
import java.util.List;

/**
 * An answer other than success, thrown by a handler and turned into problem+json in one place
 * ({@link Problems}).
 */
public sealed class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final String title;
  private final transient List<FieldError> errors;

  ApiException(int status, String title, String detail, List<FieldError> errors) {
    super(detail);
    this.status = status;
    this.title = title;
    this.errors = List.copyOf(errors);
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public List<FieldError> errors() {
    return errors;
  }

  /** 400: the body is not JSON. */
  public static final class Malformed extends ApiException {
    private static final long serialVersionUID = 1L;

    public Malformed(String detail) {
      super(400, "Malformed request", detail, List.of());
    }
  }

  /** 401: no token, or one that is not valid. */
  public static final class Unauthorized extends ApiException {
    private static final long serialVersionUID = 1L;

    public Unauthorized() {
      super(
          401,
          "Unauthorized",
          "send a valid admin token or account API key as Authorization: Bearer <token>",
          List.of());
    }
  }

  /** 403: a valid token that may not do this (an account key on an operator route). */
  public static final class Forbidden extends ApiException {
    private static final long serialVersionUID = 1L;

    public Forbidden(String detail) {
      super(403, "Forbidden", detail, List.of());
    }
  }

  /** 404: no such resource, or one of another account (never revealed). */
  public static final class NotFound extends ApiException {
    private static final long serialVersionUID = 1L;

    public NotFound(String what) {
      super(404, "Not found", what + " not found", List.of());
    }
  }

  /** 409: the request conflicts with the resource's state. */
  public static final class Conflict extends ApiException {
    private static final long serialVersionUID = 1L;

    public Conflict(String detail) {
      super(409, "Conflict", detail, List.of());
    }
  }

  /** 413: the body is over the limit. */
  public static final class TooLarge extends ApiException {
    private static final long serialVersionUID = 1L;

    public TooLarge(String detail) {
      super(413, "Request body too large", detail, List.of());
    }
  }

  /** 429: the queue is full; try again after {@code retryAfterSeconds}. */
  public static final class TooManyRequests extends ApiException {
    private static final long serialVersionUID = 1L;
    private final int retryAfterSeconds;

    public TooManyRequests(String detail, int retryAfterSeconds) {
      super(429, "Too many requests", detail, List.of());
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** 422: well-formed JSON with values that break the rules; each problem names its field. */
  public static final class Invalid extends ApiException {
    private static final long serialVersionUID = 1L;

    public Invalid(List<FieldError> errors) {
      super(422, "Invalid request", summary(errors), errors);
    }

    public Invalid(String field, String message) {
      this(List.of(new FieldError(field, message)));
    }

    private static String summary(List<FieldError> errors) {
      return errors.size() == 1
          ? (errors.getFirst().field().isEmpty() ? "" : errors.getFirst().field() + ": ")
              + errors.getFirst().message()
          : errors.size() + " fields are invalid";
    }
  }
}
