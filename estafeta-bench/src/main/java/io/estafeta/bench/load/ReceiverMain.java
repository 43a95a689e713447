package io.estafeta.bench.load;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The bench's receiver, in a JVM of its own: listens on loopback ports, answers 200 (or 500 for a
 * chosen fraction, after a chosen delay), and counts. A control port on loopback resets it and
 * reports its counts as JSON. It prints {@code ports P1,P2,... control C} once it listens, and
 * stops when its standard input closes (the bench ended, whatever way).
 *
 * <p>Two implementations: Jetty (non-blocking connectors, delays answered asynchronously from a
 * timer, so a thousand slow answers hold no thread) and the JDK's HttpServer (a virtual thread per
 * exchange).
 */
public final class ReceiverMain {
  private ReceiverMain() {}

  public static void main(String[] args) {
    try {
      serve(args);
    } catch (Exception | Error e) {
      // Jetty's threads would keep a half-started receiver alive: the bench waits for our line.
      e.printStackTrace();
      System.exit(1);
    }
  }

  private static void serve(String[] args) throws Exception {
    String impl = "jetty";
    int ports = 1;
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--impl" -> impl = args[++i];
        case "--ports" -> ports = Integer.parseInt(args[++i]);
        default -> throw new IllegalArgumentException("unknown receiver argument " + args[i]);
      }
    }
    Recorder recorder = new Recorder();
    List<Integer> bound;
    AutoCloseable server;
    if (impl.equals("jdk")) {
      JdkReceiver r = new JdkReceiver(recorder, ports);
      bound = r.ports();
      server = r;
    } else {
      JettyReceiver r = new JettyReceiver(recorder, ports);
      bound = r.ports();
      server = r;
    }
    CountDownLatch quit = new CountDownLatch(1);
    HttpServer control = control(recorder, quit);
    StringBuilder line = new StringBuilder("ports ");
    for (int i = 0; i < bound.size(); i++) {
      line.append(i == 0 ? "" : ",").append(bound.get(i));
    }
    line.append(" control ").append(control.getAddress().getPort());
    System.out.println(line);
    System.out.flush();
    // The bench holds our standard input: when it goes, for any reason, so do we.
    Thread.ofPlatform()
        .daemon()
        .start(() -> {
          try (InputStream in = System.in) {
            while (in.read() >= 0) {
              // Nothing is sent; only the end matters.
            }
          } catch (IOException e) {
            // Same as the end.
          }
          quit.countDown();
        });
    quit.await();
    control.stop(0);
    server.close();
    System.exit(0);
  }

  private static HttpServer control(Recorder recorder, CountDownLatch quit) throws IOException {
    HttpServer control =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    control.setExecutor(Executors.newSingleThreadExecutor());
    control.createContext(
        "/",
        x -> {
          String path = x.getRequestURI().getPath();
          String answer;
          switch (path) {
            case "/reset" -> {
              Map<String, String> q = query(x.getRequestURI());
              recorder.reset(
                  new Recorder.Behaviour(
                      Double.parseDouble(q.getOrDefault("fail", "0")),
                      Long.parseLong(q.getOrDefault("delayMs", "0"))));
              answer = "{}";
            }
            case "/ok" -> answer = Long.toString(recorder.ok());
            case "/stats" -> answer = recorder.statsJson();
            case "/quit" -> {
              answer = "{}";
              quit.countDown();
            }
            default -> answer = "?";
          }
          byte[] out = answer.getBytes(StandardCharsets.UTF_8);
          x.sendResponseHeaders(200, out.length);
          try (OutputStream os = x.getResponseBody()) {
            os.write(out);
          }
        });
    control.start();
    return control;
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new HashMap<>();
    String q = uri.getRawQuery();
    if (q != null) {
      for (String p : q.split("&")) {
        int eq = p.indexOf('=');
        if (eq > 0) {
          out.put(p.substring(0, eq), p.substring(eq + 1));
        }
      }
    }
    return out;
  }

  /** Jetty 12: one connector per port, one small thread pool, delays on a timer. */
  static final class JettyReceiver implements AutoCloseable {
    private final Server server;
    private final List<ServerConnector> connectors = new ArrayList<>();
    private final ScheduledExecutorService timer =
        Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().factory());

    JettyReceiver(Recorder recorder, int ports) throws Exception {
      // Each connector holds an acceptor and a selector thread; the rest handle requests.
      QueuedThreadPool pool = new QueuedThreadPool(2 * ports + 64, 8);
      pool.setName("receiver");
      server = new Server(pool);
      for (int i = 0; i < ports; i++) {
        ServerConnector c = connector(server, recorder);
        server.addConnector(c);
        connectors.add(c);
      }
      server.setHandler(
          new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
              recorder.started();
              int status =
                  recorder.arrived(
                      request.getHeaders().get(Recorder.PUBLISHED_HEADER),
                      request.getHeaders().get(Recorder.ID_HEADER));
              Content.Source.consumeAll(
                  request,
                  Callback.from(
                      () -> answer(recorder, status, response, callback), callback::failed));
              return true;
            }
          });
      server.start();
    }

    /** A loopback connector on a free port that counts the connections it opens. */
    private static ServerConnector connector(Server server, Recorder recorder) {
      ServerConnector c = new ServerConnector(server, 1, 1);
      c.setHost("127.0.0.1");
      c.setPort(0);
      c.setAcceptQueueSize(4096);
      c.setIdleTimeout(60_000);
      c.addEventListener(
          new Connection.Listener() {
            @Override
            public void onOpened(Connection connection) {
              recorder.connected();
            }

            @Override
            public void onClosed(Connection connection) {}
          });
      return c;
    }

    /** Answers at once, or after the delay from the timer: a waiting answer holds no thread. */
    private void answer(Recorder recorder, int status, Response response, Callback callback) {
      long delay = recorder.behaviour().delayMs();
      Runnable send =
          () -> {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, 0L);
            callback.succeeded();
            recorder.answered();
          };
      if (delay <= 0) {
        send.run();
      } else {
        timer.schedule(send, delay, TimeUnit.MILLISECONDS);
      }
    }

    List<Integer> ports() {
      return connectors.stream().map(ServerConnector::getLocalPort).toList();
    }

    @Override
    public void close() {
      try {
        server.stop();
      } catch (Exception e) {
        // Exiting anyway.
      }
      timer.shutdownNow();
    }
  }

  /** The JDK's HttpServer: one server per port, a virtual thread per exchange. */
  static final class JdkReceiver implements AutoCloseable {
    private final List<HttpServer> servers = new ArrayList<>();
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    JdkReceiver(Recorder recorder, int ports) throws IOException {
      for (int i = 0; i < ports; i++) {
        HttpServer s =
            HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4096);
        s.setExecutor(executor);
        s.createContext("/", x -> handle(recorder, x));
        s.start();
        servers.add(s);
      }
    }

    private static void handle(Recorder recorder, HttpExchange x) throws IOException {
      recorder.started();
      int status =
          recorder.arrived(
              x.getRequestHeaders().getFirst(Recorder.PUBLISHED_HEADER),
              x.getRequestHeaders().getFirst(Recorder.ID_HEADER));
      try (InputStream in = x.getRequestBody()) {
        in.transferTo(OutputStream.nullOutputStream());
      }
      long delay = recorder.behaviour().delayMs();
      if (delay > 0) {
        try {
          Thread.sleep(delay);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      x.sendResponseHeaders(status, -1);
      x.close();
      recorder.answered();
    }

    List<Integer> ports() {
      return servers.stream().map(s -> s.getAddress().getPort()).toList();
    }

    @Override
    public void close() {
      servers.forEach(s -> s.stop(0));
      executor.shutdownNow();
    }
  }
}
