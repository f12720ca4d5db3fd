package io.layercake.persistence.people;

import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.people.EmailAddresses;
import io.layercake.runtime.people.Membership;
import io.layercake.runtime.people.People;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.Tokens;
import io.layercake.runtime.people.User;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Users in {@code users} and their roles in {@code memberships}. */
public final class JdbcPeople implements People {
  private static final String USER_COLUMNS = "u.user_id, u.email, u.name, u.created_at, u.disabled_at";

  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcPeople(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Optional<User>> find(String userId) {
    return database.read(connection -> first(connection, "SELECT " + USER_COLUMNS + " FROM users u WHERE u.user_id = ?",
        JdbcPeople::user, userId));
  }

  @Override
  public CompletionStage<Optional<User>> findByEmail(String email) {
    String normalized = EmailAddresses.normalize(email).orElse(email);
    return database.read(connection -> first(connection, "SELECT " + USER_COLUMNS + " FROM users u WHERE u.email = ?",
        JdbcPeople::user, normalized));
  }

  @Override
  public CompletionStage<User> findOrCreate(String email, String name) {
    String normalized = EmailAddresses.normalize(email).orElseThrow(() -> new IllegalArgumentException("not an email address"));
    return database.write(connection -> {
      Optional<User> existing = first(connection, "SELECT " + USER_COLUMNS + " FROM users u WHERE u.email = ?", JdbcPeople::user,
          normalized);
      if (existing.isPresent()) {
        return existing.get();
      }
      User created = new User(Tokens.id("u_"), normalized, name, clock.instant(), null);
      update(connection, "INSERT INTO users (user_id, email, name, created_at) VALUES (?, ?, ?, ?)", created.userId(),
          created.email(), created.name(), created.createdAt());
      return created;
    });
  }

  @Override
  public CompletionStage<Boolean> anyUser() {
    return database.read(connection -> first(connection, "SELECT user_id FROM users FETCH FIRST 1 ROWS ONLY",
        rows -> rows.getString(1)).isPresent());
  }

  @Override
  public CompletionStage<List<Membership>> memberships(String userId) {
    return database.read(connection -> query(connection,
        "SELECT * FROM memberships WHERE user_id = ? ORDER BY created_at, org_id", JdbcPeople::membership, userId));
  }

  @Override
  public CompletionStage<List<Member>> members(String orgId) {
    return database.read(connection -> query(connection,
        "SELECT " + USER_COLUMNS + ", m.* FROM memberships m JOIN users u ON u.user_id = m.user_id WHERE m.org_id = ?"
            + " ORDER BY m.created_at, u.user_id",
        rows -> new Member(user(rows), membership(rows)), orgId));
  }

  @Override
  public CompletionStage<Membership> grant(String userId, String orgId, Role role, String grantedBy) {
    Membership membership = new Membership(userId, orgId, role, clock.instant(), grantedBy);
    return database.write(connection -> {
      int changed = update(connection, "UPDATE memberships SET role = ? WHERE user_id = ? AND org_id = ?", role.wireName(), userId, orgId);
      if (changed == 0) {
        update(connection, "INSERT INTO memberships (user_id, org_id, role, created_at, created_by) VALUES (?, ?, ?, ?, ?)", userId,
            orgId, role.wireName(), membership.createdAt(), grantedBy);
      }
      return membership;
    });
  }

  @Override
  public CompletionStage<Boolean> remove(String userId, String orgId) {
    return database.write(connection ->
        update(connection, "DELETE FROM memberships WHERE user_id = ? AND org_id = ?", userId, orgId) > 0);
  }

  private static User user(ResultSet rows) throws SQLException {
    return new User(rows.getString("user_id"), rows.getString("email"), rows.getString("name"), instant(rows, "created_at"),
        instant(rows, "disabled_at"));
  }

  private static Membership membership(ResultSet rows) throws SQLException {
    return new Membership(rows.getString("user_id"), rows.getString("org_id"),
        Role.parse(rows.getString("role")).orElseThrow(() -> new SQLException("unknown role in memberships")),
        instant(rows, "created_at"), rows.getString("created_by"));
  }

}
