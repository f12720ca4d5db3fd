package io.layercake.persistence.conversations;

import static io.layercake.persistence.jdbc.Statements.instant;
import io.layercake.persistence.jdbc.Json;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.persistence.jdbc.StatementBatch;
import io.layercake.persistence.notify.OrgParents;
import io.layercake.persistence.notify.WebhookFeed;
import io.layercake.runtime.session.Approval;
import io.layercake.runtime.session.DeliveryStatus;
import io.layercake.runtime.session.OutboundKind;
import io.layercake.runtime.session.Profile;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionEvent.*;
import io.layercake.runtime.session.SessionEvent;
import io.layercake.runtime.session.SessionState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.apache.pekko.projection.jdbc.javadsl.JdbcHandler;

/**
 * Writes Session events into the conversation read model: {@code conversations}, {@code messages},
 * {@code leads}, {@code booking_requests}, the agency's {@code notifications}, the webhook feed, and
 * the work each conversation still owes with when it is overdue ({@link PendingWork}, on the
 * conversation's row: the session waker reads it).
 *
 * <p>A group of events is written as JDBC batches in the projection's transaction, in an order that
 * keeps every dependency: new conversations first, then the new rows that refer to them (messages,
 * leads, bookings, notifications, the webhook feed), then the updates of messages and approvals in
 * event order, then one update per conversation carrying the group's net change of its counters
 * and status and its pending work. The rows are the same as writing the events one by one
 * ({@code ConversationGroupTest}).
 *
 * <p>The handler remembers each conversation's organization and pending work (read once with one
 * SELECT, or known from {@code ConversationStarted}), so the ordinary turn, whose work is owed and
 * done within a few groups, costs no statement of its own: its pending work rides on the update of
 * the conversation's counters. Replaying a group on what it remembers gives the same state (every
 * change sets or removes keys), so a group retried after a failed commit writes the right row.
 */
final class ConversationHandler extends JdbcHandler<List<EventEnvelope<SessionEvent>>, PooledJdbcSession> {
  private static final String PERSISTENCE_ID_PREFIX = SessionEntity.TYPE_KEY.name() + "|";

  private static final int REMEMBERED = 10_000;

  /** The pending-work key of the credit lease a conversation holds. */
  static final String LEASE_WORK = "lease";
  private final Duration wakeGrace;
  private final OrgParents parents;
  /**
   * A conversation's organization never changes once written, and only this handler (the one of
   * the conversation's tag slice) writes its pending work, so each handler looks them up once (the
   * benchmark found two SELECTs per webhook feed event otherwise, with the parent's). A handler runs
   * one group at a time; the map needs no locking.
   */
  private final Map<String, Known> known = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Known> eldest) {
      return size() > REMEMBERED;
    }
  };

  /** What the handler knows of a conversation's row. */
  private static final class Known {
    private final String orgId;
    private final PendingWork pending;

    Known(String orgId, PendingWork pending) {
      // Thousands of remembered conversations share a few organizations: one string each, not one per conversation.
      this.orgId = orgId == null ? null : orgId.intern();
      this.pending = pending;
    }
  }

  ConversationHandler(Duration wakeGrace, OrgParents parents) {
    this.wakeGrace = wakeGrace;
    this.parents = parents;
  }

  @Override
  public void process(PooledJdbcSession session, List<EventEnvelope<SessionEvent>> envelopes) throws Exception {
    session.withConnection(connection -> {
      Group group = new Group(connection);
      try {
        for (EventEnvelope<SessionEvent> envelope : envelopes) {
          new Writer(group, envelope).write();
        }
        group.flush();
      } catch (SQLException | RuntimeException e) {
        group.conversationChanges.keySet().forEach(known::remove);
        throw e;
      }
      return null;
    });
  }

  private static final String INSERT_MESSAGE = "INSERT INTO messages (session_id, direction, message_id, kind, author, text,"
      + " delivery_status, provider_message_id, failure, created_at, updated_at, sequence_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
  private static final int INSERT_STATUS = 6;
  private static final int INSERT_PROVIDER_ID = 7;
  private static final int INSERT_FAILURE = 8;
  private static final int INSERT_UPDATED_AT = 10;

  /** What a group of events writes, collected per kind of statement and sent in dependency order. */
  private final class Group {
    private final Connection connection;
    private final StatementBatch newConversations = StatementBatch.byStatement();
    private final StatementBatch newRows = StatementBatch.byStatement();
    private final List<FeedItem> feed = new ArrayList<>();
    private final StatementBatch rowUpdates = StatementBatch.inOrder();
    private final Map<String, ConversationChange> conversationChanges = new LinkedHashMap<>();
    /** The parameters of outbound messages inserted by this group, by conversation and outbound id: their receipts fold into them. */
    private final Map<String, Object[]> outboundInserts = new java.util.HashMap<>();

    Group(Connection connection) {
      this.connection = connection;
    }

    ConversationChange change(String sessionId) {
      return conversationChanges.computeIfAbsent(sessionId, ignored -> new ConversationChange());
    }

    /** The conversation's pending work, to change: it is written with the conversation's update. */
    PendingWork pending(String sessionId) throws SQLException {
      ConversationChange change = change(sessionId);
      if (change.pending == null) {
        change.pending = known(connection, sessionId).pending;
      }
      return change.pending;
    }

    void flush() throws SQLException {
      newConversations.flush(connection);
      newRows.flush(connection);
      WebhookFeed.Batch feedBatch = new WebhookFeed.Batch();
      for (FeedItem item : feed) {
        String orgId = orgId(connection, item.sessionId());
        if (orgId != null) {
          EventEnvelope<SessionEvent> envelope = item.envelope();
          feedBatch.add(new WebhookFeed.Entry(orgId, parents.parentOf(connection, orgId), item.sessionId(), item.type(),
              envelope.sequenceNr(), item.data(), item.at(), envelope.persistenceId(), envelope.sequenceNr()));
        }
      }
      feedBatch.flush(connection);
      rowUpdates.flush(connection);
      StatementBatch changes = StatementBatch.byStatement();
      conversationChanges.forEach((sessionId, change) -> change.addTo(changes, sessionId));
      changes.flush(connection);
    }
  }

  /** A feed event waiting for its conversation's organization (known once new conversations are written). */
  private record FeedItem(
      String sessionId, EventEnvelope<SessionEvent> envelope, String type, Map<String, Object> data, Instant at) {}

  /**
   * A group's net change of one conversation row: counters add up, the last value written to a
   * column wins (as if each event had updated the row in turn); null leaves a column as it is.
   */
  private static final class ConversationChange {
    private static final String SET = "UPDATE conversations SET status = COALESCE(?, status),"
        + " owner = COALESCE(?, owner), message_count = message_count + ?, last_message_at = COALESCE(?, last_message_at),"
        + " credits_used = credits_used + ?, credits_exhausted = COALESCE(?, credits_exhausted),"
        + " opted_out = COALESCE(?, opted_out)";
    private static final String UPDATE = SET + " WHERE session_id = ?";
    private static final String UPDATE_WITH_WORK = SET + ", pending_work = ?, wake_at = ? WHERE session_id = ?";
    private String status;
    private String owner;
    private long messages;
    private Instant lastMessageAt;
    private long credits;
    private Boolean exhausted;
    private Boolean optedOut;
    /** The conversation's pending work when the group changed it: the whole of it is written. */
    private PendingWork pending;

    void addTo(StatementBatch batch, String sessionId) {
      if (pending == null) {
        batch.add(UPDATE, status, owner, messages, lastMessageAt, credits, exhausted, optedOut, sessionId);
      } else {
        batch.add(UPDATE_WITH_WORK, status, owner, messages, lastMessageAt, credits, exhausted, optedOut,
            pending.json(), pending.wakeAt(), sessionId);
      }
    }
  }

  /** Collects what one event writes. */
  private final class Writer {
    private final Group group;
    private final EventEnvelope<SessionEvent> envelope;
    private final String sessionId;

    Writer(Group group, EventEnvelope<SessionEvent> envelope) {
      this.group = group;
      this.envelope = envelope;
      this.sessionId = envelope.persistenceId().substring(PERSISTENCE_ID_PREFIX.length());
    }

    void write() throws SQLException {
      if (envelope.event() instanceof AgentReplied reply) {
        for (SessionEvent part : reply.parts()) {
          write(part);
        }
      } else {
        write(envelope.event());
      }
    }

    private void write(SessionEvent event) throws SQLException {
      if (event instanceof ConversationStarted e) {
        Profile p = e.profile();
        known.put(sessionId, new Known(p.orgId(), PendingWork.none()));
        group.newConversations.add("INSERT INTO conversations (session_id, org_id, agent_id, channel, contact, status, owner, started_at,"
                + " last_message_at, message_count, credits_used, credits_exhausted) VALUES (?, ?, ?, ?, ?, 'active', ?, ?, ?, 0, 0, FALSE)",
            sessionId, p.orgId(), p.agentId(), p.channel(), p.contact(), SessionState.AGENT, e.at(), e.at());
        feed("conversation.started", Map.of("agentId", p.agentId(), "channel", p.channel(), "contact", p.contact()), e.at());
      } else if (event instanceof Reopened) {
        setStatus("active", SessionState.AGENT);
      } else if (event instanceof MessageReceived e) {
        insertMessage("inbound", e.messageId(), "customer", "customer", e.text(), null, e.at());
        feed("message.received", Map.of("messageId", e.messageId(), "text", cut(e.text(), 4_000)), e.at());
        if (e.forAgent()) {
          wake("msg:" + e.messageId(), e.at().plus(wakeGrace));
        }
      } else if (event instanceof ReactionReceived e) {
        // updates of this conversation's messages now run in order after their inserts: later receipts must too
        group.outboundInserts.keySet().removeIf(key -> key.startsWith(sessionId + "|"));
        group.rowUpdates.add("UPDATE messages SET reaction = ?, updated_at = ? WHERE session_id = ?"
                + " AND (provider_message_id = ? OR (direction = 'inbound' AND message_id = ?))",
            e.emoji(), e.at(), sessionId, e.reactsTo(), e.reactsTo());
      } else if (event instanceof NoticeReceived e) {
        String kind = e.kind().name().toLowerCase(Locale.ROOT);
        insertMessage("inbound", e.messageId(), kind, "customer", e.text(), null, e.at());
      } else if (event instanceof TurnStarted e) {
        wake("turn:" + e.turn(), e.at().plus(wakeGrace));
      } else if (event instanceof ToolRan e) {
        recordTool(e);
      } else if (event instanceof ApprovalRequested e) {
        wake("turn:" + e.approval().turn(), e.approval().expiresAt());
        Approval a = e.approval();
        group.rowUpdates.add("INSERT INTO approvals (approval_id, session_id, org_id, kind, tool_name, arguments, draft, status, requested_at,"
                + " expires_at) SELECT ?, session_id, org_id, ?, ?, ?, ?, 'pending', ?, ? FROM conversations WHERE session_id = ?",
            a.approvalId(), a.kind().name().toLowerCase(Locale.ROOT), a.toolName(), Json.write(new java.util.TreeMap<String, Object>(a.arguments())),
            a.draft() == null ? null : cut(a.draft(), 10_000), e.at(), a.expiresAt(), sessionId);
        notifyOrg("approval.requested", Map.of("approvalId", e.approval().approvalId(), "kind",
            e.approval().kind().name().toLowerCase(Locale.ROOT)), e.at());
        feed("approval.requested", Map.of("approvalId", a.approvalId(), "kind", a.kind().name().toLowerCase(Locale.ROOT)), e.at());
      } else if (event instanceof ApprovalDecided e) {
        group.rowUpdates.add("UPDATE approvals SET status = ?, decided_by = ?, decided_at = ? WHERE approval_id = ?",
            e.expired() ? "expired" : e.approved() ? "approved" : "rejected", e.decidedBy(), e.at(), e.approvalId());
        group.pending(sessionId).postpone("turn:", e.at().plus(wakeGrace));
      } else if (event instanceof AgentReplied e) {
        insertMessage("outbound", e.outboundId(), "agent_reply", SessionState.AGENT, e.text(), "queued", e.at());
        wake("out:" + e.outboundId(), e.at().plus(wakeGrace));
      } else if (event instanceof ReplyQueued e) {
        insertMessage("outbound", e.outboundId(), e.kind().name().toLowerCase(Locale.ROOT), e.author(), e.text(), "queued", e.at());
        wake("out:" + e.outboundId(), e.at().plus(wakeGrace));
        if (e.kind() == OutboundKind.HUMAN) {
          unwake("reminder");
        }
      } else if (event instanceof CreditsRanOut e) {
        group.change(sessionId).exhausted = true;
        unwake("turn:" + e.turn());
        for (String messageId : e.messageIds()) {
          unwake("msg:" + messageId);
        }
        notifyOrg("credits.exhausted", Map.of("available", e.available()), e.at());
        feed("credits.exhausted", Map.of("available", e.available()), e.at());
      } else if (event instanceof TurnCancelled) {
        group.rowUpdates.add("UPDATE approvals SET status = 'cancelled' WHERE session_id = ? AND status = 'pending'", sessionId);
      } else if (event instanceof TurnFailed e) {
        group.rowUpdates.add("UPDATE approvals SET status = 'cancelled' WHERE session_id = ? AND status = 'pending'", sessionId);
        notifyOrg("conversation.turn_failed", Map.of("turn", e.turn(), "reason", e.reason()), e.at());
      } else if (event instanceof TurnSettled e) {
        ConversationChange change = group.change(sessionId);
        change.credits += e.charged();
        if (e.charged() > 0) {
          change.exhausted = false;
        }
        unwake("turn:" + e.turn());
        for (String messageId : e.messageIds()) {
          unwake("msg:" + messageId);
        }
        // a lease the conversation still holds is owed back: should it stop unseen, it is woken to return it
        if (e.lease() != null) {
          wake(LEASE_WORK, e.lease().expiresAt());
        } else {
          unwake(LEASE_WORK);
        }
      } else if (event instanceof LeaseReturned) {
        unwake(LEASE_WORK);
      } else if (event instanceof HandedOff e) {
        setStatus("handed_off", e.by());
        group.pending(sessionId).removeStartingWith("msg:");
        if (e.remindAt() != null) {
          wake("reminder", e.remindAt());
        }
        notifyOrg("conversation.handed_off", Map.of("by", e.by(), "reason", e.reason()), e.at());
        feed("conversation.handed_off", Map.of("by", e.by(), "reason", e.reason()), e.at());
      } else if (event instanceof HandedBack) {
        setStatus("active", SessionState.AGENT);
        unwake("reminder");
      } else if (event instanceof OwnerReminded e) {
        unwake("reminder");
        notifyOrg("conversation.handoff_unanswered", Map.of(), e.at());
      } else if (event instanceof Closed e) {
        setStatus("closed", null);
        feed("conversation.closed", e.outcome() == null ? Map.of("by", e.by()) : Map.of("by", e.by(), "outcome", e.outcome()), e.at());
        group.pending(sessionId).removeStartingWith("msg:");
        group.pending(sessionId).remove("reminder");
      } else if (event instanceof FollowupScheduled e) {
        wake("followup:" + e.followupId(), e.dueAt());
      } else if (event instanceof FollowupCancelled e) {
        unwake("followup:" + e.followupId());
      } else if (event instanceof FollowupSent e) {
        unwake("followup:" + e.followupId());
        group.change(sessionId).credits += e.credits();
      } else if (event instanceof ReplyBlocked e) {
        for (String messageId : e.messageIds()) {
          unwake("msg:" + messageId);
        }
        notifyOrg("conversation.reply_blocked", Map.of("reason", e.reason(), "messageIds", e.messageIds()), e.at());
        feed("conversation.reply_blocked", Map.of("reason", e.reason(), "messageIds", e.messageIds()), e.at());
      } else if (event instanceof ContactOptedOut e) {
        group.change(sessionId).optedOut = true;
        feed("contact.opted_out", Map.of("messageId", e.messageId(), "keyword", e.keyword()), e.at());
      } else if (event instanceof ContactOptedIn e) {
        group.change(sessionId).optedOut = false;
        feed("contact.opted_in", Map.of("messageId", e.messageId(), "keyword", e.keyword()), e.at());
      } else if (event instanceof DeliveryUpdated e) {
        Object[] inserted = group.outboundInserts.get(sessionId + "|" + e.outboundId());
        if (inserted != null) {
          // the message is written by this group: it is written with its receipt, not updated after
          inserted[INSERT_STATUS] = e.status().name().toLowerCase(Locale.ROOT);
          inserted[INSERT_PROVIDER_ID] = e.providerMessageId() != null ? e.providerMessageId() : inserted[INSERT_PROVIDER_ID];
          inserted[INSERT_FAILURE] = e.reason();
          inserted[INSERT_UPDATED_AT] = e.at();
        } else {
          group.rowUpdates.add("UPDATE messages SET delivery_status = ?, provider_message_id = COALESCE(?, provider_message_id),"
                  + " failure = ?, updated_at = ? WHERE session_id = ? AND direction = 'outbound' AND message_id = ?",
              e.status().name().toLowerCase(Locale.ROOT), e.providerMessageId(), e.reason(), e.at(), sessionId, e.outboundId());
        }
        if (e.status() == DeliveryStatus.SENT || e.status() == DeliveryStatus.FAILED) {
          unwake("out:" + e.outboundId());
        }
      }
    }

    private void recordTool(ToolRan e) throws SQLException {
      if (!e.done()) {
        return;
      }
      Map<String, String> a = e.arguments();
      if ("capture_lead".equals(e.name())) {
        group.newRows.add("INSERT INTO leads (org_id, agent_id, session_id, name, phone, email, need, created_at, persistence_id,"
                + " sequence_number) SELECT org_id, agent_id, session_id, ?, ?, ?, ?, ?, ?, ? FROM conversations WHERE session_id = ?",
            cut(a.get("name")), cut(a.get("phone")), cut(a.get("email")), cut(a.get("need")), e.at(), envelope.persistenceId(),
            envelope.sequenceNr(), sessionId);
        notifyOrg("lead.captured", present(Map.of("name", a.getOrDefault("name", ""), "need", a.getOrDefault("need", ""))), e.at());
      } else if ("book_appointment".equals(e.name())) {
        group.newRows.add("INSERT INTO booking_requests (org_id, agent_id, session_id, requested_time, service, created_at,"
                + " persistence_id, sequence_number) SELECT org_id, agent_id, session_id, ?, ?, ?, ?, ? FROM conversations"
                + " WHERE session_id = ?",
            cut(a.get("requested_time")), cut(a.get("service")), e.at(), envelope.persistenceId(), envelope.sequenceNr(), sessionId);
        notifyOrg("booking.requested", present(Map.of("service", a.getOrDefault("service", ""),
            "requestedTime", a.getOrDefault("requested_time", ""))), e.at());
      }
    }

    /** The short, non-empty values of tool arguments, for a notification. */
    private Map<String, Object> present(Map<String, String> values) {
      Map<String, Object> present = new LinkedHashMap<>();
      values.forEach((key, value) -> {
        if (value != null && !value.isBlank()) {
          present.put(key, value.length() > 200 ? value.substring(0, 200) : value);
        }
      });
      return present;
    }

    private void insertMessage(String direction, String messageId, String kind, String author, String text, String status,
        Instant at) throws SQLException {
      Object[] parameters = {sessionId, direction, messageId, kind, author, text.length() > 10_000 ? text.substring(0, 10_000) : text,
          status, null, null, at, at, envelope.sequenceNr()};
      group.newRows.add(INSERT_MESSAGE, parameters);
      if ("outbound".equals(direction)) {
        group.outboundInserts.put(sessionId + "|" + messageId, parameters);
      }
      ConversationChange change = group.change(sessionId);
      change.messages++;
      change.lastMessageAt = at;
    }

    private void setStatus(String status, String owner) {
      ConversationChange change = group.change(sessionId);
      change.status = status;
      if (owner != null) {
        change.owner = owner;
      }
    }

    private void wake(String key, Instant dueAt) throws SQLException {
      group.pending(sessionId).put(key, dueAt);
    }

    private void unwake(String key) throws SQLException {
      group.pending(sessionId).remove(key);
    }

    /** The event for webhook subscribers and the pull feed, numbered by the conversation's own sequence. */
    private void feed(String type, Map<String, Object> data, Instant at) {
      group.feed.add(new FeedItem(sessionId, envelope, type, data, at));
    }

    private void notifyOrg(String kind, Map<String, Object> details, Instant at) throws SQLException {
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("sessionId", sessionId);
      payload.putAll(details);
      group.newRows.add("INSERT INTO notifications (org_id, kind, payload, created_at, persistence_id, sequence_number)"
              + " SELECT org_id, ?, ?, ?, ?, ? FROM conversations WHERE session_id = ?",
          kind, Json.write(payload), at, envelope.persistenceId(), envelope.sequenceNr(), sessionId);
    }
  }

  private String orgId(Connection connection, String sessionId) throws SQLException {
    return known(connection, sessionId).orgId;
  }

  /** The conversation's organization and pending work; a conversation not written yet has neither (not remembered). */
  private Known known(Connection connection, String sessionId) throws SQLException {
    Known remembered = known.get(sessionId);
    if (remembered != null) {
      return remembered;
    }
    try (PreparedStatement select = connection.prepareStatement(
        "SELECT org_id, pending_work FROM conversations WHERE session_id = ?")) {
      select.setString(1, sessionId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return new Known(null, PendingWork.none());
        }
        Known row = new Known(rows.getString(1), PendingWork.parse(rows.getString(2)));
        known.put(sessionId, row);
        return row;
      }
    }
  }

  private static String cut(String value) {
    return cut(value, 1000);
  }

  private static String cut(String value, int max) {
    return value == null || value.length() <= max ? value : value.substring(0, max);
  }

}
