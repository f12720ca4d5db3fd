package io.layercake.persistence.conversations;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.query;

import static io.layercake.persistence.jdbc.Statements.instant;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements.Row;
import io.layercake.runtime.session.ConversationListing;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Reads the conversation read model. */
public final class JdbcConversationListing implements ConversationListing {
  private static final String CONVERSATION_COLUMNS = "session_id, org_id, agent_id, channel, contact, status, owner,"
      + " started_at, last_message_at, message_count, credits_used, credits_exhausted, opted_out";

  private final ApplicationDatabase database;

  public JdbcConversationListing(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<List<ConversationSummary>> conversations(String orgId, String status, int limit) {
    return database.read(connection -> query(connection,
        "SELECT " + CONVERSATION_COLUMNS + " FROM conversations WHERE org_id = ?"
            + (status == null ? "" : " AND status = ?") + " ORDER BY last_message_at DESC, session_id FETCH FIRST "
            + limit + " ROWS ONLY",
        JdbcConversationListing::conversation, status == null ? new Object[] {orgId} : new Object[] {orgId, status}));
  }

  @Override
  public CompletionStage<Optional<ConversationSummary>> conversation(String sessionId) {
    return database.read(connection -> query(connection,
        "SELECT " + CONVERSATION_COLUMNS + " FROM conversations WHERE session_id = ?", JdbcConversationListing::conversation,
        sessionId).stream().findFirst());
  }

  @Override
  public CompletionStage<List<MessageRecord>> messages(String sessionId, int limit) {
    return database.read(connection -> query(connection,
        "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE session_id = ? ORDER BY sequence_number, direction FETCH FIRST "
            + limit + " ROWS ONLY",
        JdbcConversationListing::message, sessionId));
  }

  @Override
  public CompletionStage<List<MessageRecord>> messagesAfter(String sessionId, long afterSequence, int limit) {
    return database.read(connection -> query(connection,
        "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE session_id = ? AND sequence_number > ?"
            + " ORDER BY sequence_number, direction FETCH FIRST " + limit + " ROWS ONLY",
        JdbcConversationListing::message, sessionId, afterSequence));
  }

  @Override
  public CompletionStage<List<MessageRecord>> messagesBefore(String sessionId, long beforeSequence, int limit) {
    return database.read(connection -> {
      List<MessageRecord> newestFirst = query(connection,
          "SELECT " + MESSAGE_COLUMNS + " FROM messages WHERE session_id = ? AND sequence_number < ?"
              + " ORDER BY sequence_number DESC, direction DESC FETCH FIRST " + limit + " ROWS ONLY",
          JdbcConversationListing::message, sessionId, beforeSequence);
      List<MessageRecord> inOrder = new ArrayList<>(newestFirst);
      java.util.Collections.reverse(inOrder);
      return inOrder;
    });
  }

  @Override
  public CompletionStage<List<ConversationSummary>> search(ConversationQuery q) {
    if (q.orgIds().isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(List.of());
    }
    StringBuilder sql = new StringBuilder("SELECT " + CONVERSATION_COLUMNS + " FROM conversations WHERE org_id IN (");
    List<Object> parameters = new ArrayList<>();
    for (int i = 0; i < q.orgIds().size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      parameters.add(q.orgIds().get(i));
    }
    sql.append(")");
    filter(sql, parameters, "status = ?", q.status());
    filter(sql, parameters, "channel = ?", q.channel());
    filter(sql, parameters, "agent_id = ?", q.agentId());
    filter(sql, parameters, "last_message_at >= ?", q.from() == null ? null : java.sql.Timestamp.from(q.from()));
    filter(sql, parameters, "last_message_at < ?", q.to() == null ? null : java.sql.Timestamp.from(q.to()));
    if (q.text() != null && !q.text().isBlank()) {
      String pattern = "%" + q.text().strip().toLowerCase(java.util.Locale.ROOT)
          .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
      sql.append(" AND (LOWER(contact) LIKE ? ESCAPE '\\' OR EXISTS (SELECT 1 FROM messages m"
          + " WHERE m.session_id = conversations.session_id AND LOWER(m.text) LIKE ? ESCAPE '\\'))");
      parameters.add(pattern);
      parameters.add(pattern);
    }
    if (ConversationQuery.UNASSIGNED.equals(q.assigneeUserId())) {
      sql.append(" AND NOT EXISTS (SELECT 1 FROM conversation_assignments a WHERE a.session_id = conversations.session_id)");
    } else {
      filter(sql, parameters, "EXISTS (SELECT 1 FROM conversation_assignments a WHERE a.session_id = conversations.session_id"
          + " AND a.user_id = ?)", q.assigneeUserId());
    }
    if (q.cursorLastMessageAt() != null && q.cursorSessionId() != null) {
      java.sql.Timestamp at = java.sql.Timestamp.from(q.cursorLastMessageAt());
      sql.append(" AND (last_message_at < ? OR (last_message_at = ? AND session_id > ?))");
      parameters.add(at);
      parameters.add(at);
      parameters.add(q.cursorSessionId());
    }
    sql.append(" ORDER BY last_message_at DESC, session_id FETCH FIRST ").append(q.limit()).append(" ROWS ONLY");
    return database.read(connection -> query(connection, sql.toString(), JdbcConversationListing::conversation, parameters.toArray()));
  }

  @Override
  public CompletionStage<java.util.Map<String, MessageRecord>> lastMessages(java.util.Collection<String> sessionIds) {
    if (sessionIds.isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(java.util.Map.of());
    }
    String in = String.join(", ", sessionIds.stream().map(id -> "?").toList());
    return database.read(connection -> {
      java.util.Map<String, MessageRecord> newest = new java.util.HashMap<>();
      try (PreparedStatement statement = connection.prepareStatement("SELECT session_id, " + MESSAGE_COLUMNS + " FROM messages m"
          + " WHERE m.session_id IN (" + in + ") AND m.sequence_number = (SELECT MAX(x.sequence_number) FROM messages x"
          + " WHERE x.session_id = m.session_id)")) {
        int index = 1;
        for (String sessionId : sessionIds) {
          statement.setString(index++, sessionId);
        }
        try (ResultSet rows = statement.executeQuery()) {
          while (rows.next()) {
            MessageRecord message = message(rows);
            newest.merge(rows.getString("session_id"), message,
                (one, other) -> one.createdAt().isAfter(other.createdAt()) ? one : other);
          }
        }
      }
      return newest;
    });
  }

  @Override
  public CompletionStage<String> changeMark(List<String> orgIds) {
    if (orgIds.isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture("");
    }
    String in = String.join(", ", orgIds.stream().map(id -> "?").toList());
    return database.read(connection -> first(connection, "SELECT COUNT(*), MAX(last_message_at), SUM(message_count),"
            + " SUM(CASE WHEN status = 'handed_off' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'closed' THEN 1 ELSE 0 END)"
            + " FROM conversations WHERE org_id IN (" + in + ")",
        rows -> rows.getLong(1) + "/" + rows.getTimestamp(2) + "/" + rows.getLong(3) + "/" + rows.getLong(4) + "/" + rows.getLong(5),
        orgIds.toArray()).orElse(""));
  }

  @Override
  public CompletionStage<String> changeMark(String sessionId) {
    return database.read(connection -> first(connection, "SELECT COUNT(*), MAX(m.updated_at), MAX(c.status) FROM messages m"
            + " JOIN conversations c ON c.session_id = m.session_id WHERE m.session_id = ?",
        rows -> rows.getLong(1) + "/" + rows.getTimestamp(2) + "/" + rows.getString(3), sessionId).orElse(""));
  }

  @Override
  public CompletionStage<List<ApprovalRecord>> approvals(List<String> orgIds, String status, Instant afterRequestedAt,
      String afterApprovalId, int limit) {
    if (orgIds.isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(List.of());
    }
    StringBuilder sql = new StringBuilder("SELECT * FROM approvals WHERE org_id IN (");
    List<Object> parameters = new ArrayList<>();
    for (int i = 0; i < orgIds.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      parameters.add(orgIds.get(i));
    }
    sql.append(")");
    filter(sql, parameters, "status = ?", status);
    if (afterRequestedAt != null && afterApprovalId != null) {
      sql.append(" AND (requested_at > ? OR (requested_at = ? AND approval_id > ?))");
      parameters.add(java.sql.Timestamp.from(afterRequestedAt));
      parameters.add(java.sql.Timestamp.from(afterRequestedAt));
      parameters.add(afterApprovalId);
    }
    sql.append(" ORDER BY requested_at, approval_id FETCH FIRST ").append(limit).append(" ROWS ONLY");
    return database.read(connection -> query(connection, sql.toString(), JdbcConversationListing::approval, parameters.toArray()));
  }

  @Override
  public CompletionStage<Optional<ApprovalRecord>> approval(String approvalId) {
    return database.read(connection -> query(connection, "SELECT * FROM approvals WHERE approval_id = ?",
        JdbcConversationListing::approval, approvalId).stream().findFirst());
  }

  private static void filter(StringBuilder sql, List<Object> parameters, String condition, Object value) {
    if (value != null) {
      sql.append(" AND ").append(condition);
      parameters.add(value);
    }
  }

  private static final String MESSAGE_COLUMNS =
      "message_id, direction, kind, author, text, delivery_status, provider_message_id, failure, created_at, sequence_number"
          + ", reaction";

  private static MessageRecord message(ResultSet rows) throws SQLException {
    return new MessageRecord(rows.getString("message_id"), rows.getString("direction"), rows.getString("kind"),
        rows.getString("author"), rows.getString("text"), rows.getString("delivery_status"),
        rows.getString("provider_message_id"), rows.getString("failure"), instant(rows, "created_at"),
        rows.getLong("sequence_number"), rows.getString("reaction"));
  }

  private static ApprovalRecord approval(ResultSet rows) throws SQLException {
    return new ApprovalRecord(rows.getString("approval_id"), rows.getString("session_id"), rows.getString("org_id"),
        rows.getString("kind"), rows.getString("tool_name"), rows.getString("arguments"), rows.getString("draft"),
        rows.getString("status"), instant(rows, "requested_at"), instant(rows, "expires_at"), rows.getString("decided_by"),
        instant(rows, "decided_at"));
  }

  @Override
  public CompletionStage<Long> count(String orgId) {
    return database.read(connection -> query(connection, "SELECT COUNT(*) FROM conversations WHERE org_id = ?",
        rows -> rows.getLong(1), orgId).get(0));
  }

  @Override
  public CompletionStage<Map<String, ClientActivity>> activity(List<String> orgIds, Instant dayStart, Instant monthStart) {
    if (orgIds.isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(Map.of());
    }
    String in = String.join(", ", java.util.Collections.nCopies(orgIds.size(), "?"));
    return database.read(connection -> {
      Map<String, ClientActivity> activity = new LinkedHashMap<>();
      orgIds.forEach(orgId -> activity.put(orgId, ClientActivity.none(orgId)));
      List<Object> conversationParameters = new ArrayList<>(List.of(dayStart, monthStart));
      conversationParameters.addAll(orgIds);
      for (ClientActivity counted : query(connection, "SELECT org_id,"
              + " SUM(CASE WHEN last_message_at >= ? THEN 1 ELSE 0 END),"
              + " SUM(CASE WHEN last_message_at >= ? THEN 1 ELSE 0 END),"
              + " SUM(CASE WHEN status = 'handed_off' THEN 1 ELSE 0 END),"
              + " MAX(last_message_at)"
              + " FROM conversations WHERE org_id IN (" + in + ") GROUP BY org_id",
          rows -> new ClientActivity(rows.getString(1), rows.getLong(2), rows.getLong(3), rows.getLong(4), 0, 0,
              rows.getTimestamp(5) == null ? null : rows.getTimestamp(5).toInstant()), conversationParameters.toArray())) {
        activity.put(counted.orgId(), counted);
      }
      List<Object> sinceMonth = new ArrayList<>(List.of(monthStart));
      sinceMonth.addAll(orgIds);
      for (Object[] leads : query(connection, "SELECT org_id, COUNT(*) FROM leads WHERE created_at >= ? AND org_id IN (" + in
          + ") GROUP BY org_id", rows -> new Object[] {rows.getString(1), rows.getLong(2)}, sinceMonth.toArray())) {
        activity.computeIfPresent((String) leads[0], (orgId, found) -> new ClientActivity(orgId, found.activeToday(),
            found.activeThisMonth(), found.waitingForAPerson(), (Long) leads[1], found.bookingRequestsThisMonth(), found.lastActivityAt()));
      }
      for (Object[] bookings : query(connection, "SELECT org_id, COUNT(*) FROM booking_requests WHERE created_at >= ? AND org_id IN ("
          + in + ") GROUP BY org_id", rows -> new Object[] {rows.getString(1), rows.getLong(2)}, sinceMonth.toArray())) {
        activity.computeIfPresent((String) bookings[0], (orgId, found) -> new ClientActivity(orgId, found.activeToday(),
            found.activeThisMonth(), found.waitingForAPerson(), found.leadsThisMonth(), (Long) bookings[1], found.lastActivityAt()));
      }
      return activity;
    });
  }

  @Override
  public CompletionStage<List<Lead>> leads(List<String> orgIds, Long beforeId, int limit) {
    return newestOf("SELECT id, session_id, agent_id, name, phone, email, need, created_at FROM leads", orgIds, beforeId, limit,
        rows -> new Lead(rows.getLong("id"), rows.getString("session_id"), rows.getString("agent_id"), rows.getString("name"),
            rows.getString("phone"), rows.getString("email"), rows.getString("need"), instant(rows, "created_at")));
  }

  @Override
  public CompletionStage<List<BookingRequest>> bookingRequests(List<String> orgIds, Long beforeId, int limit) {
    return newestOf(BOOKINGS, orgIds, beforeId, limit, JdbcConversationListing::booking);
  }

  @Override
  public CompletionStage<Optional<BookingRequest>> bookingRequest(long id) {
    return database.read(connection -> first(connection, BOOKINGS + " WHERE id = ?", JdbcConversationListing::booking, id));
  }

  private static final String BOOKINGS = "SELECT id, org_id, session_id, agent_id, requested_time, service, created_at,"
      + " COALESCE(d.status, 'requested') AS status, d.decided_by, d.decided_at"
      + " FROM booking_requests LEFT JOIN booking_decisions d ON d.booking_id = booking_requests.id";

  private static BookingRequest booking(ResultSet rows) throws SQLException {
    return new BookingRequest(rows.getLong("id"), rows.getString("org_id"), rows.getString("session_id"), rows.getString("agent_id"),
        rows.getString("requested_time"), rows.getString("service"), instant(rows, "created_at"), rows.getString("status"),
        rows.getString("decided_by"), instant(rows, "decided_at"));
  }

  /** Rows of the organizations, newest (highest id) first, below {@code beforeId} when given. */
  private <T> CompletionStage<List<T>> newestOf(String select, List<String> orgIds, Long beforeId, int limit, Row<T> row) {
    if (orgIds.isEmpty()) {
      return java.util.concurrent.CompletableFuture.completedFuture(List.of());
    }
    StringBuilder sql = new StringBuilder(select).append(" WHERE org_id IN (");
    List<Object> parameters = new ArrayList<>();
    for (int i = 0; i < orgIds.size(); i++) {
      sql.append(i == 0 ? "?" : ", ?");
      parameters.add(orgIds.get(i));
    }
    sql.append(")");
    if (beforeId != null) {
      sql.append(" AND id < ?");
      parameters.add(beforeId);
    }
    sql.append(" ORDER BY id DESC FETCH FIRST ").append(limit).append(" ROWS ONLY");
    return database.read(connection -> query(connection, sql.toString(), row, parameters.toArray()));
  }

  private static ConversationSummary conversation(ResultSet rows) throws SQLException {
    return new ConversationSummary(rows.getString("session_id"), rows.getString("org_id"), rows.getString("agent_id"),
        rows.getString("channel"), rows.getString("contact"), rows.getString("status"), rows.getString("owner"),
        instant(rows, "started_at"), instant(rows, "last_message_at"), rows.getLong("message_count"),
        rows.getLong("credits_used"), rows.getBoolean("credits_exhausted"), rows.getBoolean("opted_out"));
  }
}
