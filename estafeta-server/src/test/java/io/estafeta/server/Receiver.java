package io.estafeta.server;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Function;

/** A real HTTP receiver on a loopback port, recording what arrives and answering as told. */
public final class Receiver implements AutoCloseable {
  /** A request as it arrived; header names lower-cased. */
  public record Received(
      String method, String pathAndQuery, Map<String, String> headers, String body) {
    public String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  /** How to answer. */
  public record Reply(int status, Map<String, String> headers, String body, Duration delay) {
    public static Reply status(int status) {
      return new Reply(status, Map.of(), "", Duration.ZERO);
    }
  }

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private volatile Function<Received, Reply> behaviour = r -> Reply.status(200);

  public Receiver() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
    server.createContext("/", this::handle);
    server.start();
  }

  public String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  public void answer(Function<Received, Reply> behaviour) {
    this.behaviour = behaviour;
  }

  public List<Received> received() {
    return List.copyOf(received);
  }

  public void clear() {
    received.clear();
  }

  private void handle(HttpExchange x) throws IOException {
    Map<String, String> headers = new ConcurrentHashMap<>();
    x.getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v)));
    String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Received r =
        new Received(
            x.getRequestMethod(),
            x.getRequestURI().getRawPath()
                + (x.getRequestURI().getRawQuery() == null
                    ? ""
                    : "?" + x.getRequestURI().getRawQuery()),
            headers,
            body);
    received.add(r);
    Reply reply = behaviour.apply(r);
    try {
      Thread.sleep(reply.delay());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    reply.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
    byte[] out = reply.body().getBytes(StandardCharsets.UTF_8);
    boolean noBody = x.getRequestMethod().equals("HEAD") || out.length == 0;
    x.sendResponseHeaders(reply.status(), noBody ? -1 : out.length);
    if (!noBody) {
      try (OutputStream os = x.getResponseBody()) {
        os.write(out);
      }
    }
    x.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
