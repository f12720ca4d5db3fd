package io.layercake.runtime.session;

import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;
import java.util.Map;

/**
 * A decision a person must take before the turn goes on.
 *
 * @param drafter what wrote a {@link ApprovalKind#REPLY} draft; null for a tool call (and in drafts
 *     journaled before it was recorded)
 */
public record Approval(
    String approvalId, int turn, ApprovalKind kind, String callId, String toolName, Map<String, String> arguments,
    String draft, Instant expiresAt, Drafter drafter)
    implements JsonSerializable {
  public Approval {
    arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
  }
}
