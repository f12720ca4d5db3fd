package io.layercake.http.server;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.runtime.durability.Durability;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Answers a request that may have written (anything but GET, HEAD, OPTIONS) only once what it
 * committed is durable: a 2xx to a webhook, a webchat message or an API write then means the write
 * survives a killed process, whichever database commits it and however it writes its commits.
 */
public final class DurableWrites extends AllDirectives {
  private static final Set<String> READS = Set.of("GET", "HEAD", "OPTIONS");

  private final Durability durability;

  public DurableWrites(Durability durability) {
    this.durability = durability;
  }

  public Route awaited(Supplier<Route> inner) {
    Route answering = inner.get(); // once: a directive calls its inner supplier for every request
    if (durability == Durability.AT_COMMIT) {
      return answering;
    }
    Route durable = mapRouteResultFuture(answered -> answered.thenComposeAsync(
        result -> durability.ofCommitsSoFar().thenApply(done -> result), Stages.SAME_THREAD), () -> answering);
    return extractMethod(method -> READS.contains(method.name()) ? answering : durable);
  }
}
