package io.estafeta.server;

import io.estafeta.delivery.dispatch.Dispatcher;
import io.estafeta.delivery.dispatch.DispatcherSettings;
import io.estafeta.delivery.housekeeping.Housekeeping;
import io.estafeta.delivery.metrics.EngineMetrics;
import io.estafeta.server.api.Route;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

/** One Estafeta node: the engine over the node's database, and the HTTP API over the engine. */
public final class EstafetaServer implements AutoCloseable {
  private final Node node;
  private final Engine engine;
  private final HttpApi http;

  private EstafetaServer(Node node, Engine engine, HttpApi http) {
    this.node = node;
    this.engine = engine;
    this.http = http;
  }

  /**
   * What a test may change about a node.
   *
   * @param dispatch whether the dispatcher's loop runs (otherwise tests drive it by hand)
   * @param dispatcher changes to the dispatcher's settings as the configuration gives them
   */
  public record Options(boolean dispatch, UnaryOperator<DispatcherSettings> dispatcher) {
    public static Options defaults() {
      return new Options(true, UnaryOperator.identity());
    }
  }

  /** Starts a node on the configured port (0 picks a free one). */
  public static EstafetaServer start(Config config, Clock anyClock) {
    return start(config, anyClock, Options.defaults());
  }

  public static EstafetaServer start(Config config, Clock anyClock, Options options) {
    // Times are stored to the millisecond: answer them the same way from the start.
    Clock clock = Clock.tick(anyClock, Duration.ofMillis(1));
    Node node = Node.open(config);
    Engine engine = null;
    HttpApi http = null;
    try {
      engine = new Engine(node, config, clock, options.dispatcher());
      http = HttpApi.start(config, engine);
      engine.start(options.dispatch());
      return new EstafetaServer(node, engine, http);
    } catch (RuntimeException e) {
      // A half-started node stops everything that started: threads would keep it alive.
      if (http != null) {
        http.close();
      }
      if (engine != null) {
        engine.close();
      }
      node.close();
      throw e;
    }
  }

  public int port() {
    return http.port();
  }

  public List<Route> routes() {
    return http.routes();
  }

  public Node node() {
    return node;
  }

  /** The engine's meters, for tests. */
  public EngineMetrics metrics() {
    return engine.metrics;
  }

  /** The chores, for tests that drive them by hand. */
  public Housekeeping housekeeping() {
    return engine.housekeeping;
  }

  /** The dispatcher, for tests that drive it by hand. */
  public Dispatcher dispatcher() {
    return engine.dispatcher;
  }

  /** Stops taking requests, lets attempts under way finish (bounded), and closes. */
  @Override
  public void close() {
    http.close();
    engine.close();
    node.close();
  }
}
