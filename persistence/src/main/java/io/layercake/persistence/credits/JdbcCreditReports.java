package io.layercake.persistence.credits;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements;
import io.layercake.runtime.credits.CreditReports;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** Answers {@link CreditReports} from the credit read model. */
public final class JdbcCreditReports implements CreditReports {
  private static final String USAGE_BY_AGENT =
      "SELECT sub_org_id, agent_id, SUM(amount) AS credits, COUNT(DISTINCT reservation_id) AS turns"
          + " FROM credit_transactions"
          + " WHERE (org_id = ? OR sub_org_id = ?) AND kind = 'usage' AND occurred_at >= ? AND occurred_at < ?"
          + " GROUP BY sub_org_id, agent_id ORDER BY credits DESC, agent_id";
  private static final String USAGE_BY_ITEM =
      "SELECT sub_org_id, agent_id, item, SUM(amount) AS credits FROM credit_transactions"
          + " WHERE (org_id = ? OR sub_org_id = ?) AND kind = 'usage' AND occurred_at >= ? AND occurred_at < ?"
          + " GROUP BY sub_org_id, agent_id, item";
  private static final String USAGE_BY_SESSION =
      "SELECT sub_org_id, agent_id, session_id, SUM(amount) AS credits, COUNT(DISTINCT reservation_id) AS turns"
          + " FROM credit_transactions"
          + " WHERE (org_id = ? OR sub_org_id = ?) AND kind = 'usage' AND occurred_at >= ? AND occurred_at < ?"
          + " GROUP BY sub_org_id, agent_id, session_id ORDER BY credits DESC, session_id";
  private static final String OVERDUE =
      "SELECT org_id, reservation_id FROM open_reservations WHERE expires_at <= ? ORDER BY expires_at";

  private final ApplicationDatabase database;

  public JdbcCreditReports(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<List<AgentUsage>> usageByAgent(String orgId, Instant from, Instant to) {
    return database.read(connection -> Statements.query(connection, USAGE_BY_AGENT,
        rows -> new AgentUsage(rows.getString(1), rows.getString(2), rows.getLong(3), rows.getLong(4)), orgId, orgId, from, to));
  }

  @Override
  public CompletionStage<List<ItemUsage>> usageByItem(String orgId, Instant from, Instant to) {
    return database.read(connection -> Statements.query(connection, USAGE_BY_ITEM,
        rows -> new ItemUsage(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4)), orgId, orgId, from, to));
  }

  @Override
  public CompletionStage<List<DayUsage>> usageByDay(String orgId, Instant from, Instant to) {
    return database.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT occurred_at, amount, reservation_id FROM credit_transactions"
              + " WHERE (org_id = ? OR sub_org_id = ?) AND kind = 'usage' AND occurred_at >= ? AND occurred_at < ? ORDER BY occurred_at")) {
        statement.setString(1, orgId);
        statement.setString(2, orgId);
        statement.setTimestamp(3, Timestamp.from(from));
        statement.setTimestamp(4, Timestamp.from(to));
        java.util.Map<String, long[]> days = new java.util.TreeMap<>();
        java.util.Map<String, java.util.Set<String>> turns = new java.util.HashMap<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            String day = rows.getTimestamp(1).toInstant().atZone(java.time.ZoneOffset.UTC).toLocalDate().toString();
            days.computeIfAbsent(day, d -> new long[1])[0] += rows.getLong(2);
            turns.computeIfAbsent(day, d -> new java.util.HashSet<>()).add(rows.getString(3));
          }
        }
        List<DayUsage> usage = new ArrayList<>();
        days.forEach((day, credits) -> usage.add(new DayUsage(day, credits[0], turns.get(day).size())));
        return usage;
      }
    });
  }

  @Override
  public CompletionStage<List<Transaction>> transactions(String orgId, long beforeId, int limit) {
    return database.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(
          "SELECT id, org_id, sub_org_id, agent_id, session_id, kind, bucket, amount, item, occurred_at FROM credit_transactions"
              + " WHERE (org_id = ? OR sub_org_id = ?)" + (beforeId > 0 ? " AND id < ?" : "")
              + " ORDER BY id DESC FETCH FIRST " + limit + " ROWS ONLY")) {
        statement.setString(1, orgId);
        statement.setString(2, orgId);
        if (beforeId > 0) {
          statement.setLong(3, beforeId);
        }
        List<Transaction> found = new ArrayList<>();
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            found.add(new Transaction(rows.getLong(1), rows.getString(2), rows.getString(3), rows.getString(4), rows.getString(5),
                rows.getString(6), rows.getString(7), rows.getLong(8), rows.getString(9), rows.getTimestamp(10).toInstant()));
          }
        }
        return found;
      }
    });
  }

  @Override
  public CompletionStage<List<SessionUsage>> usageBySession(String orgId, Instant from, Instant to, int limit) {
    return database.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(USAGE_BY_SESSION)) {
        statement.setString(1, orgId);
        statement.setString(2, orgId);
        statement.setTimestamp(3, Timestamp.from(from));
        statement.setTimestamp(4, Timestamp.from(to));
        statement.setMaxRows(limit);
        try (ResultSet rows = statement.executeQuery()) {
          List<SessionUsage> usage = new ArrayList<>();
          while (rows.next()) {
            usage.add(new SessionUsage(rows.getString(1), rows.getString(2), rows.getString(3), rows.getLong(4), rows.getLong(5)));
          }
          return usage;
        }
      }
    });
  }

  @Override
  public CompletionStage<List<OverdueReservation>> overdueReservations(Instant now, int limit) {
    return database.read(connection -> {
      try (PreparedStatement statement = connection.prepareStatement(OVERDUE)) {
        statement.setTimestamp(1, Timestamp.from(now));
        statement.setMaxRows(limit);
        try (ResultSet rows = statement.executeQuery()) {
          List<OverdueReservation> overdue = new ArrayList<>();
          while (rows.next()) {
            overdue.add(new OverdueReservation(rows.getString(1), rows.getString(2)));
          }
          return overdue;
        }
      }
    });
  }
}
