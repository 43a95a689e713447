package io.estafeta.server.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The demo's receiver, on a loopback port: it answers most requests with 200, some with 500 (so the
 * newcomer sees retries) and some with 400 (a failure that is not retried).
 */
final class DemoReceiver implements AutoCloseable {
  /** How one request is answered. */
  record Reply(int status, String body) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final AtomicLong received = new AtomicLong();
  private final Random random;

  DemoReceiver(Random random) {
    this.random = random;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new IllegalStateException("the demo receiver cannot listen on loopback", e);
    }
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  long received() {
    return received.get();
  }

  /** 65% 200, 25% 500, 10% 400. */
  static Reply reply(int roll) {
    if (roll < 65) {
      return new Reply(200, "{\"ok\": true}");
    }
    if (roll < 90) {
      return new Reply(500, "{\"error\": \"upstream database timeout, try again later\"}");
    }
    return new Reply(
        400, "{\"error\": \"field 'client.documentId' is required by this receiver\"}");
  }

  private void handle(HttpExchange x) throws IOException {
    try (x) {
      x.getRequestBody().readAllBytes();
      received.incrementAndGet();
      // A real receiver takes its time: a few tens of milliseconds.
      Thread.sleep(20 + random.nextInt(180));
      Reply reply = reply(random.nextInt(100));
      byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
      x.getResponseHeaders().add("Content-Type", "application/json");
      x.getResponseHeaders().add("X-Demo-Receiver", "estafeta");
      x.sendResponseHeaders(reply.status(), body.length);
      try (OutputStream out = x.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
