package io.estafeta.delivery.http;

import io.estafeta.delivery.destination.DestinationPolicy;
import io.estafeta.delivery.http.SendResult.FailureKind;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ConnectionRequestTimeoutException;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.io.SocketConfig;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * Sends one rendered request and reports what happened, without ever throwing for a network
 * problem. Blocking; meant to be called from many virtual threads at once.
 *
 * <p>What it deliberately does not do: follow redirects, retry, keep cookies, cache or answer auth
 * challenges, ask for or decode compressed content, or add headers beyond those HTTP/1.1 framing
 * needs ({@code Host}, {@code Content-Length}, {@code Connection}). Every host goes through the
 * {@link DestinationPolicy} before any socket is opened, and the socket goes to the checked
 * address.
 */
public final class HttpSender implements AutoCloseable {

  /** Response bodies are kept up to this many bytes (contract §7); the rest is never read. */
  public static final int MAX_RESPONSE_BODY = 64 * 1024;

  // Each connection's input and output buffers (HttpClient's default is 32 KiB).
  private static final int BUFFER_BYTES = 8192;

  private final SenderSettings settings;
  private final PoolingHttpClientConnectionManager connections;
  private final CloseableHttpClient client;
  private final RequestConfig baseConfig;
  // One platform thread fires every request's overall deadline; cheap, and it works the same for
  // callers on virtual and platform threads.
  private final ScheduledThreadPoolExecutor deadlines;

  public HttpSender(DestinationPolicy policy, SenderSettings settings) {
    Objects.requireNonNull(policy, "policy");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.connections =
        PoolingHttpClientConnectionManagerBuilder.create()
            .setDnsResolver(new PinnedDnsResolver(policy))
            // The lax pool has a pool per receiver and no cap in total (the dispatcher caps the
            // attempts). The strict one, capped in total, closes one receiver's idle connection to
            // open another's once full: under load almost every attempt paid a new TCP connection
            // (13,000 for 15,000 deliveries in the slow bench), and its lease walks a shared list
            // under one lock.
            .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
            .setMaxConnPerRoute(settings.maxConnectionsPerRoute())
            // 8 KiB buffers, not the 32 KiB default: three per connection made an idle one cost
            // ~100 KiB of heap. Larger bodies are written past the buffer, not through it.
            .setConnectionFactory(
                ManagedHttpClientConnectionFactory.builder()
                    .http1Config(Http1Config.custom().setBufferSize(BUFFER_BYTES).build())
                    .build())
            .setDefaultConnectionConfig(
                ConnectionConfig.custom()
                    .setConnectTimeout(Timeout.of(settings.connectTimeout()))
                    .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                    .build())
            .setDefaultSocketConfig(SocketConfig.custom().setTcpNoDelay(true).build())
            .build();
    this.baseConfig =
        RequestConfig.custom()
            .setRedirectsEnabled(false)
            .setAuthenticationEnabled(false)
            .setExpectContinueEnabled(false)
            .setContentCompressionEnabled(false)
            .setProtocolUpgradeEnabled(false)
            .build();
    this.client =
        HttpClients.custom()
            .setConnectionManager(connections)
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .disableContentCompression()
            .disableDefaultUserAgent()
            .disableConnectionState()
            .evictIdleConnections(TimeValue.of(settings.idleTimeout()))
            .setDefaultRequestConfig(baseConfig)
            .build();
    this.deadlines =
        new ScheduledThreadPoolExecutor(
            1, Thread.ofPlatform().daemon().name("estafeta-http-deadline").factory());
    this.deadlines.setRemoveOnCancelPolicy(true);
  }

  /**
   * Sends the request once. The request's timeout bounds the whole attempt: waiting for a pooled
   * connection, connecting (also bounded by the settings' connect timeout), and reading the answer.
   */
  public SendResult send(OutboundRequest request) {
    long started = System.nanoTime();
    HttpUriRequestBase http = toHttp(request);
    AtomicBoolean expired = new AtomicBoolean();
    // The response timeout only bounds each read; a receiver dripping one byte at a time could hold
    // an attempt forever. At the deadline, cancel() closes the socket, whatever phase it is in.
    ScheduledFuture<?> deadline =
        deadlines.schedule(
            () -> {
              expired.set(true);
              http.cancel();
            },
            request.timeout().toNanos(),
            TimeUnit.NANOSECONDS);
    try {
      return exchange(http, started);
    } catch (IOException | RuntimeException e) {
      // Runtime exceptions too: a cancelled request can surface as IllegalStateException, and a
      // worker must get an outcome to record rather than an exception.
      return failure(e, expired.get(), request.timeout(), started);
    } finally {
      deadline.cancel(false);
    }
  }

  private HttpUriRequestBase toHttp(OutboundRequest request) {
    HttpUriRequestBase http = new HttpUriRequestBase(request.method(), request.url());
    boolean hasUserAgent = false;
    for (Header header : request.headers()) {
      http.addHeader(header.name(), header.value());
      hasUserAgent |= header.name().equalsIgnoreCase("User-Agent");
    }
    if (!hasUserAgent && settings.userAgent() != null) {
      http.addHeader("User-Agent", settings.userAgent());
    }
    if (request.body() != null) {
      // No content type on the entity: the caller's Content-Type header is the only one sent.
      http.setEntity(new ByteArrayEntity(request.body(), null));
    }
    Timeout timeout = Timeout.of(request.timeout());
    http.setConfig(
        RequestConfig.copy(baseConfig)
            .setResponseTimeout(timeout)
            .setConnectionRequestTimeout(timeout)
            .build());
    return http;
  }

  private SendResult exchange(HttpUriRequestBase http, long started) throws IOException {
    ClassicHttpResponse response = client.executeOpen(null, http, HttpClientContext.create());
    boolean readToTheEnd = false;
    try {
      List<Header> headers = new ArrayList<>();
      for (org.apache.hc.core5.http.Header header : response.getHeaders()) {
        headers.add(new Header(header.getName(), header.getValue()));
      }
      byte[] body = new byte[0];
      boolean truncated = false;
      HttpEntity entity = response.getEntity();
      if (entity != null) {
        byte[] read = readAtMost(entity.getContent(), MAX_RESPONSE_BODY + 1);
        truncated = read.length > MAX_RESPONSE_BODY;
        body = truncated ? Arrays.copyOf(read, MAX_RESPONSE_BODY) : read;
      }
      readToTheEnd = !truncated;
      return new SendResult.Responded(
          response.getCode(), headers, body, truncated, elapsedMs(started));
    } finally {
      if (!readToTheEnd) {
        // Closing normally would drain the rest of the body to reuse the connection, which for an
        // endless body never ends. Drop the connection instead.
        http.cancel();
      }
      // A body read to its end has already returned the connection to the pool.
      closeQuietly(response);
    }
  }

  private static byte[] readAtMost(InputStream in, int limit) throws IOException {
    byte[] buffer = new byte[Math.min(limit, 8192)];
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int total = 0;
    while (total < limit) {
      int n = in.read(buffer, 0, Math.min(buffer.length, limit - total));
      if (n < 0) {
        break;
      }
      out.write(buffer, 0, n);
      total += n;
    }
    return out.toByteArray();
  }

  private static void closeQuietly(ClassicHttpResponse response) {
    try {
      response.close();
    } catch (IOException | RuntimeException ignored) {
      // The answer is already in hand and the connection released or discarded; nothing to add.
    }
  }

  private static SendResult.Failed failure(
      Exception error, boolean expired, Duration timeout, long started) {
    long durationMs = elapsedMs(started);
    if (expired) {
      return new SendResult.Failed(
          FailureKind.TIMEOUT, "no complete response within " + describe(timeout), durationMs);
    }
    for (Throwable t = error; t != null; t = t.getCause()) {
      FailureKind kind = kindOf(t);
      if (kind != null) {
        return new SendResult.Failed(kind, messageOf(kind, t, timeout), durationMs);
      }
    }
    FailureKind fallback =
        error instanceof IOException ? FailureKind.CONNECTION : FailureKind.PROTOCOL;
    return new SendResult.Failed(fallback, messageOf(fallback, error, timeout), durationMs);
  }

  private static FailureKind kindOf(Throwable t) {
    return switch (t) {
      case BlockedDestinationException _ -> FailureKind.BLOCKED_DESTINATION;
      case UnknownHostException _ -> FailureKind.UNRESOLVABLE;
      case ConnectionRequestTimeoutException _ -> FailureKind.TIMEOUT;
      case SocketTimeoutException _ -> FailureKind.TIMEOUT;
      case SSLException _ -> FailureKind.TLS;
      case HttpException _ -> FailureKind.PROTOCOL;
      case MalformedChunkCodingException _ -> FailureKind.PROTOCOL;
      case IOException _ when t.getCause() == null -> FailureKind.CONNECTION;
      default -> null;
    };
  }

  private static String messageOf(FailureKind kind, Throwable t, Duration timeout) {
    String detail = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    return switch (kind) {
      case BLOCKED_DESTINATION, UNRESOLVABLE -> detail;
      case TIMEOUT ->
          t instanceof ConnectionRequestTimeoutException
              ? "no free connection within " + describe(timeout)
              : "timed out: " + detail;
      case TLS -> "TLS failure: " + detail;
      case PROTOCOL -> "protocol error: " + detail;
      case CONNECTION -> "connection failed: " + detail;
    };
  }

  private static String describe(Duration d) {
    return d.toMillis() % 1000 == 0 ? d.toSeconds() + "s" : d.toMillis() + "ms";
  }

  private static long elapsedMs(long started) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
  }

  /** Open connections, for metrics. */
  public int openConnections() {
    return connections.getTotalStats().getLeased() + connections.getTotalStats().getAvailable();
  }

  @Override
  public void close() {
    deadlines.shutdownNow();
    client.close(CloseMode.GRACEFUL);
  }
}
