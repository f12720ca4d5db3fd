package io.layercake.persistence.people;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;
import static io.layercake.persistence.jdbc.Statements.instant;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.people.Invitations;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.Tokens;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Invitations in {@code invitations}. */
public final class JdbcInvitations implements Invitations {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcInvitations(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Invitation> create(String orgId, String email, Role role, String invitedBy, Instant expiresAt) {
    Invitation invitation = new Invitation(Tokens.id("inv_"), orgId, email, role, invitedBy, clock.instant(), expiresAt, null, null);
    return database.write(connection -> {
      update(connection, "INSERT INTO invitations (invitation_id, org_id, email, role, invited_by, created_at, expires_at)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?)", invitation.invitationId(), orgId, email, role.wireName(), invitedBy,
          invitation.createdAt(), expiresAt);
      return invitation;
    });
  }

  @Override
  public CompletionStage<Optional<Invitation>> find(String invitationId) {
    return database.read(connection -> first(connection, "SELECT * FROM invitations WHERE invitation_id = ?",
        JdbcInvitations::invitation, invitationId));
  }

  @Override
  public CompletionStage<List<Invitation>> list(String orgId) {
    return database.read(connection -> query(connection,
        "SELECT * FROM invitations WHERE org_id = ? ORDER BY created_at DESC, invitation_id", JdbcInvitations::invitation, orgId));
  }

  @Override
  public CompletionStage<Boolean> revoke(String orgId, String invitationId) {
    return database.write(connection -> update(connection, "UPDATE invitations SET revoked_at = ? WHERE org_id = ?"
            + " AND invitation_id = ? AND revoked_at IS NULL AND accepted_at IS NULL", clock.instant(), orgId, invitationId) > 0);
  }

  @Override
  public CompletionStage<Boolean> accept(String invitationId, Instant now) {
    return database.write(connection -> update(connection, "UPDATE invitations SET accepted_at = ? WHERE invitation_id = ?"
        + " AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > ?", now, invitationId, now) > 0);
  }

  private static Invitation invitation(ResultSet rows) throws SQLException {
    return new Invitation(rows.getString("invitation_id"), rows.getString("org_id"), rows.getString("email"),
        Role.parse(rows.getString("role")).orElseThrow(() -> new SQLException("unknown role in invitations")),
        rows.getString("invited_by"), instant(rows, "created_at"), instant(rows, "expires_at"), instant(rows, "accepted_at"),
        instant(rows, "revoked_at"));
  }
}
