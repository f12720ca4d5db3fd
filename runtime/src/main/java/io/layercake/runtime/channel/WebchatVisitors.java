package io.layercake.runtime.channel;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Webchat visitor sessions: an opaque, unguessable token (only its hash is stored) that names one
 * visitor of one agent and expires when idle.
 */
public interface WebchatVisitors {
  /** A new visitor of the agent; the token is returned once. */
  CompletionStage<Visitor> create(String orgId, String agentId);

  /** The visitor a token names, whatever its age; callers decide about expiry. */
  CompletionStage<Optional<Visitor>> find(String token);

  /** Records that the visitor was active now. */
  CompletionStage<Void> touch(String token);

  record Visitor(String token, String orgId, String agentId, String visitorId, Instant lastSeenAt) {}
}
