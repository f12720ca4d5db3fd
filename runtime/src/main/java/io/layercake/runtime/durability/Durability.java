package io.layercake.runtime.durability;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.Done;

/**
 * When what the node committed so far survives a killed process. On PostgreSQL (and an H2 server) a
 * commit returns once it is durable: {@link #AT_COMMIT}. The embedded H2 file writes commits to its
 * file in groups instead of one write per commit; whatever tells the outside world about a write (an
 * acknowledgement, a reply handed to a provider) first waits for the group that holds it.
 */
@FunctionalInterface
public interface Durability {
  /** Commits are durable when they return. */
  Durability AT_COMMIT = () -> CompletableFuture.completedFuture(Done.getInstance());

  /**
   * Completes once every transaction committed before this call is in the database's file, on a
   * thread of the implementation's choosing (never the caller's pool's common-pool fallback).
   */
  CompletionStage<Done> ofCommitsSoFar();
}
