package io.layercake.runtime.concurrent;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.RecipientRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.japi.function.Function;

/**
 * Pekko's Java {@code AskPattern.ask}, answered as a plain future completed on the thread that
 * completes the ask, as Pekko's Scala {@code pipeToSelf} does: an entity that pipes the answer to
 * itself starts no thread for it (Pekko's Java {@code pipeToSelf} on Pekko's own stage runs on the
 * common pool, a new thread per answer on 2 cores). Only for stages whose dependents are as cheap
 * as a {@code pipeToSelf}; route code uses {@link Stages#on} with a dispatcher.
 */
public final class AskPattern {
  private AskPattern() {}

  public static <Req, Res> CompletableFuture<Res> ask(
      RecipientRef<Req> target, Function<ActorRef<Res>, Req> messageFactory, Duration timeout, Scheduler scheduler) {
    return Stages.on(org.apache.pekko.actor.typed.javadsl.AskPattern.ask(target, messageFactory, timeout, scheduler),
        Stages.SAME_THREAD);
  }
}
