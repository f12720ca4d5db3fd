package io.layercake.persistence.messages;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.messages.Messaging;
import io.layercake.runtime.messages.MessagingPolicy;
import io.layercake.runtime.people.Role;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/** People's messaging rules and blocks, organizations' cross-organization switch, contacts and the inbox, in their tables. */
public final class JdbcMessaging implements Messaging {
  /** An unread direct message becomes a notification after this long unless the person chose otherwise. */
  public static final Duration DEFAULT_REMIND_AFTER = Duration.ofMinutes(15);

  private final ApplicationDatabase database;

  public JdbcMessaging(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<Optional<MessagingPolicy.Person>> person(String userId) {
    return database.read(connection -> {
      if (first(connection, "SELECT 1 FROM users WHERE user_id = ? AND disabled_at IS NULL", rows -> true, userId).isEmpty()) {
        return Optional.empty();
      }
      List<MessagingPolicy.Place> places = query(connection, "SELECT m.org_id, o.parent_org_id, m.role FROM memberships m"
              + " LEFT JOIN organizations o ON o.org_id = m.org_id WHERE m.user_id = ?",
          rows -> new MessagingPolicy.Place(rows.getString(1), rows.getString(2), Role.parse(rows.getString(3)).orElse(Role.CLIENT_MEMBER)),
          userId);
      Settings settings = settings(connection, userId);
      boolean crossOrg = first(connection, "SELECT 1 FROM organization_messaging g JOIN memberships m ON m.org_id = g.org_id"
          + " WHERE m.user_id = ? AND g.allow_cross_org = TRUE FETCH FIRST 1 ROWS ONLY", rows -> true, userId).isPresent();
      return Optional.of(new MessagingPolicy.Person(userId, places, settings.whoMayMessage(), settings.blocked(), crossOrg));
    });
  }

  @Override
  public CompletionStage<Settings> settings(String userId) {
    return database.read(connection -> settings(connection, userId));
  }

  private static Settings settings(Connection connection, String userId) throws SQLException {
    Optional<Object[]> rule = first(connection, "SELECT who_may_message, remind_after_seconds FROM messaging_rules WHERE user_id = ?",
        rows -> new Object[] {rows.getString(1), rows.getLong(2)}, userId);
    Set<String> blocked = new HashSet<>(query(connection, "SELECT blocked_user_id FROM messaging_blocks WHERE user_id = ?",
        rows -> rows.getString(1), userId));
    return new Settings(rule.flatMap(found -> MessagingPolicy.WhoMayMessage.parse((String) found[0]))
        .orElse(MessagingPolicy.WhoMayMessage.EVERYONE),
        rule.map(found -> Duration.ofSeconds((Long) found[1])).orElse(DEFAULT_REMIND_AFTER), blocked);
  }

  @Override
  public CompletionStage<Void> setRule(String userId, MessagingPolicy.WhoMayMessage rule, Duration remindAfter, Instant at) {
    return database.write(connection -> {
      update(connection, "DELETE FROM messaging_rules WHERE user_id = ?", userId);
      update(connection, "INSERT INTO messaging_rules (user_id, who_may_message, remind_after_seconds, updated_at) VALUES (?, ?, ?, ?)",
          userId, rule.wireName(), remindAfter.toSeconds(), at);
      return null;
    });
  }

  @Override
  public CompletionStage<Void> block(String userId, String blockedUserId, boolean blocked, Instant at) {
    return database.write(connection -> {
      update(connection, "DELETE FROM messaging_blocks WHERE user_id = ? AND blocked_user_id = ?", userId, blockedUserId);
      if (blocked) {
        update(connection, "INSERT INTO messaging_blocks (user_id, blocked_user_id, created_at) VALUES (?, ?, ?)", userId, blockedUserId, at);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Boolean> crossOrgAllowed(String orgId) {
    return database.read(connection -> first(connection, "SELECT allow_cross_org FROM organization_messaging WHERE org_id = ?",
        rows -> rows.getBoolean(1), orgId).orElse(false));
  }

  @Override
  public CompletionStage<Void> allowCrossOrg(String orgId, boolean allowed, Instant at) {
    return database.write(connection -> {
      update(connection, "DELETE FROM organization_messaging WHERE org_id = ?", orgId);
      update(connection, "INSERT INTO organization_messaging (org_id, allow_cross_org, updated_at) VALUES (?, ?, ?)", orgId, allowed, at);
      return null;
    });
  }

  @Override
  public CompletionStage<Optional<String>> name(String userId) {
    return database.read(connection -> first(connection, "SELECT name FROM users WHERE user_id = ?", rows -> rows.getString(1), userId));
  }

  @Override
  public CompletionStage<List<Contact>> contacts(String userId) {
    // the person's organizations, their clients when they work for an agency, and their agency when they work for a client
    return database.read(connection -> query(connection, "SELECT DISTINCT u.user_id, u.name, u.email, m.org_id, o.name"
            + " FROM memberships m JOIN users u ON u.user_id = m.user_id JOIN organizations o ON o.org_id = m.org_id"
            + " WHERE u.disabled_at IS NULL AND u.user_id <> ? AND (m.org_id IN (SELECT org_id FROM memberships WHERE user_id = ?)"
            + " OR o.parent_org_id IN (SELECT org_id FROM memberships WHERE user_id = ? AND role IN ('owner', 'admin', 'member'))"
            + " OR (m.role IN ('owner', 'admin', 'member') AND m.org_id IN (SELECT o2.parent_org_id FROM memberships m2"
            + "   JOIN organizations o2 ON o2.org_id = m2.org_id WHERE m2.user_id = ?)))"
            + " ORDER BY u.name, m.org_id",
        rows -> new Contact(rows.getString(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5)),
        userId, userId, userId, userId));
  }

  @Override
  public CompletionStage<List<InboxThread>> inbox(String userId, int limit) {
    return database.read(connection -> query(connection, "SELECT i.*, u.name AS other_name FROM dm_inbox i"
            + " LEFT JOIN users u ON u.user_id = i.other_user_id WHERE i.user_id = ? AND i.last_seq > 0"
            + " ORDER BY i.last_message_at DESC, i.thread_id FETCH FIRST " + limit + " ROWS ONLY",
        rows -> new InboxThread(rows.getString("thread_id"), rows.getString("other_user_id"), rows.getString("other_name"),
            rows.getLong("last_seq"), instant(rows, "last_message_at"), rows.getString("last_preview"), rows.getString("last_sender_id"),
            rows.getLong("unread")), userId));
  }

  @Override
  public CompletionStage<String> changeMark(String userId) {
    return database.read(connection -> first(connection,
        "SELECT COUNT(*), COALESCE(SUM(unread), 0), MAX(updated_at) FROM dm_inbox WHERE user_id = ?", rows -> {
          Timestamp latest = rows.getTimestamp(3);
          return rows.getLong(1) + ":" + rows.getLong(2) + ":" + (latest == null ? 0 : latest.getTime());
        }, userId).orElse("0:0:0"));
  }
}
