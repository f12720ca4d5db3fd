package io.layercake.runtime.people;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Invitations to join an organization with a role: pending until accepted, revoked or expired. */
public interface Invitations {
  CompletionStage<Invitation> create(String orgId, String email, Role role, String invitedBy, Instant expiresAt);

  CompletionStage<Optional<Invitation>> find(String invitationId);

  /** The organization's invitations, newest first. */
  CompletionStage<List<Invitation>> list(String orgId);

  /** Revokes a pending invitation of the organization; false when it has no such pending invitation. */
  CompletionStage<Boolean> revoke(String orgId, String invitationId);

  /** Marks a pending, unexpired invitation accepted; false when it is not (any more). */
  CompletionStage<Boolean> accept(String invitationId, Instant now);

  record Invitation(String invitationId, String orgId, String email, Role role, String invitedBy, Instant createdAt,
      Instant expiresAt, Instant acceptedAt, Instant revokedAt) {
    public enum Status { PENDING, ACCEPTED, REVOKED, EXPIRED }

    public Status status(Instant now) {
      if (acceptedAt != null) {
        return Status.ACCEPTED;
      }
      if (revokedAt != null) {
        return Status.REVOKED;
      }
      return now.isBefore(expiresAt) ? Status.PENDING : Status.EXPIRED;
    }
  }
}
