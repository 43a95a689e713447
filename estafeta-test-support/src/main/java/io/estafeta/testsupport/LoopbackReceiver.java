package io.estafeta.testsupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A webhook receiver for tests: the JDK's HTTP server on 127.0.0.1 and a random port, a virtual
 * thread per request. It records every request as it arrived and answers as told: a {@link Reply}
 * per request, or, for answers a reply cannot describe (streamed, endless, repeated headers), a
 * {@link Responder} that writes the exchange itself.
 */
public final class LoopbackReceiver implements AutoCloseable {

  /** One request as it arrived: raw path, raw query (null if none), header names lower-cased. */
  public record Received(
      String method,
      String path,
      String query,
      Map<String, List<String>> headers,
      byte[] bytes,
      int clientPort) {

    public String pathAndQuery() {
      return query == null ? path : path + "?" + query;
    }

    /** All values of a header joined by {@code ", "} (so a repeated header shows), or null. */
    public String header(String name) {
      List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
      return values == null ? null : String.join(", ", values);
    }

    /** The body as UTF-8 text. */
    public String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }

  /**
   * An answer: sent after {@code delay}; an empty body (and any body to a HEAD) is sent as none.
   */
  public record Reply(int status, Map<String, String> headers, String body, Duration delay) {
    public static Reply status(int status) {
      return new Reply(status, Map.of(), "", Duration.ZERO);
    }
  }

  /** Writes the whole answer to an exchange; the receiver closes it afterwards. */
  @FunctionalInterface
  public interface Responder {
    void respond(HttpExchange exchange) throws IOException, InterruptedException;
  }

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final ConcurrentLinkedQueue<Received> received = new ConcurrentLinkedQueue<>();
  private volatile Function<Received, Reply> script = r -> Reply.status(200);
  private volatile Responder responder;

  private LoopbackReceiver() throws IOException {
    server =
        HttpServer.create(
            new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 1024);
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Listening when it returns; answers 200 with no body until told otherwise. */
  public static LoopbackReceiver start() {
    try {
      return new LoopbackReceiver();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  /**
   * {@code http://127.0.0.1:<port><pathAndQuery>} as text, which may hold what a URI may not (a
   * template's {@code {{id}}}).
   */
  public String url(String pathAndQuery) {
    return "http://127.0.0.1:" + port() + pathAndQuery;
  }

  public URI uri(String pathAndQuery) {
    return URI.create(url(pathAndQuery));
  }

  /** This receiver under another spelling of its host ({@code localhost}, {@code 127.1}, ...). */
  public URI uri(String host, String pathAndQuery) {
    return URI.create("http://" + host + ":" + port() + pathAndQuery);
  }

  /** From now on, answers each request with what {@code script} returns for it. */
  public void answer(Function<Received, Reply> script) {
    this.script = script;
    this.responder = null;
  }

  /** From now on, lets {@code responder} write each answer. */
  public void respondWith(Responder responder) {
    this.responder = responder;
  }

  /** What has arrived so far, in order. */
  public List<Received> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
  }

  /** Sends {@code reply} on {@code exchange}: what {@link #answer} does, for responders too. */
  public static void reply(HttpExchange exchange, Reply reply)
      throws IOException, InterruptedException {
    Thread.sleep(reply.delay());
    reply.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
    byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
    boolean none = exchange.getRequestMethod().equals("HEAD") || body.length == 0;
    exchange.sendResponseHeaders(reply.status(), none ? -1 : body.length);
    if (!none) {
      exchange.getResponseBody().write(body);
    }
  }

  private void handle(HttpExchange exchange) {
    try (exchange) {
      byte[] body;
      try (InputStream in = exchange.getRequestBody()) {
        body = in.readAllBytes();
      }
      Map<String, List<String>> headers = new TreeMap<>();
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> headers.put(name.toLowerCase(Locale.ROOT), List.copyOf(values)));
      URI target = exchange.getRequestURI();
      Received r =
          new Received(
              exchange.getRequestMethod(),
              target.getRawPath(),
              target.getRawQuery(),
              headers,
              body,
              exchange.getRemoteAddress().getPort());
      received.add(r);
      Responder raw = responder;
      if (raw != null) {
        raw.respond(exchange);
      } else {
        reply(exchange, script.apply(r));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      // The client went away (timeouts, truncated reads): expected in several tests.
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
