package io.layercake.http.server;

import io.layercake.config.HttpSettings;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Binds the routes and ties the server into CoordinatedShutdown: on shutdown it stops accepting
 * connections, lets in-flight requests finish within the deadline, then the cluster is left and
 * the pools are closed by the later phases.
 */
public final class HttpServer {
  private HttpServer() {}

  public static CompletionStage<ServerBinding> start(ActorSystem<?> system, HttpSettings settings, Route routes) {
    return Http.get(system)
        .newServerAt(settings.host(), settings.port())
        .bind(routes)
        .thenApplyAsync(binding -> binding.addToCoordinatedShutdown(deadline(settings), system), system.executionContext());
  }

  private static Duration deadline(HttpSettings settings) {
    return settings.shutdownDeadline();
  }
}
