package io.layercake.persistence.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import io.layercake.persistence.jdbc.CountingDataSource;
import io.layercake.persistence.jdbc.PooledJdbcSession;
import io.layercake.persistence.notify.OrgParents;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.runtime.session.Approval;
import io.layercake.runtime.session.ApprovalKind;
import io.layercake.runtime.session.DeliveryStatus;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.OutboundKind;
import io.layercake.runtime.session.Profile;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionEvent.*;
import io.layercake.runtime.session.SessionEvent;
import io.layercake.runtime.session.SessionState;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.projection.eventsourced.EventEnvelope;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The conversation projection writes a group of events as batches; the rows must be exactly those
 * of writing the same events one at a time, whatever the grouping, and the group must take far
 * fewer round trips to the database.
 */
@ExtendWith(FreshDatabases.Extension.class)
class ConversationGroupTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration GRACE = Duration.ofMinutes(1);
  private static final List<String> TABLES = List.of(
      "conversations ORDER BY session_id", "messages ORDER BY session_id, direction, message_id", "leads ORDER BY id",
      "booking_requests ORDER BY id", "notifications ORDER BY id", "approvals ORDER BY approval_id",
      "webhook_events ORDER BY event_id", "webhook_deliveries ORDER BY event_id, subscription_id");

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aGroupWritesTheRowsOfItsEventsOneByOneInFewerRoundTrips(TestDatabases kind, FreshDatabases databases, @TempDir Path dir)
      throws Exception {
    List<EventEnvelope<SessionEvent>> events = conversations();

    Written oneByOne = write(databases.create(kind, dir.resolve("single")), events, 1);
    Written inFours = write(databases.create(kind, dir.resolve("fours")), events, 4);
    Written atOnce = write(databases.create(kind, dir.resolve("once")), events, events.size());

    assertThat(oneByOne.rows().get("messages ORDER BY session_id, direction, message_id")).hasSize(13);
    assertThat(oneByOne.rows().get("webhook_deliveries ORDER BY event_id, subscription_id")).isNotEmpty();
    assertThat(oneByOne.rows().get("conversations ORDER BY session_id"))
        .as("replies never handed to the channel stay owed").anySatisfy(row -> assertThat(row).contains("out:o4"))
        .anySatisfy(row -> assertThat(row).contains("out:o2", "out:o3"));
    assertThat(inFours.rows()).isEqualTo(oneByOne.rows());
    assertThat(atOnce.rows()).isEqualTo(oneByOne.rows());
    assertThat(atOnce.roundTrips()).as("round trips for %d events in one group, %d one by one", events.size(), oneByOne.roundTrips())
        .isLessThan(oneByOne.roundTrips() * 6 / 10);
  }

  /**
   * The ordinary turn (received, turn started, replied, settled, sent) owes work only for moments:
   * it costs no statement of its own for that, whether the turn lands in one group or in two. What
   * is left per turn is the two messages (one batch; a receipt in the same group is written with its
   * message), the feed event (the subscription look-up and one batch) and one update of the
   * conversation per group.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theOrdinaryTurnWritesNothingForItsWakeUps(TestDatabases kind, FreshDatabases databases, @TempDir Path dir)
      throws Exception {
    Events e = new Events();
    e.add("h1", new ConversationStarted(new Profile("h1", "grp-b", "agent-b", "whatsapp", "+31600000009"), e.at()));
    Written started = write(databases.create(kind, dir.resolve("turns")), e.envelopes, 1);
    int turns = 10;
    List<EventEnvelope<SessionEvent>> whole = new ArrayList<>();
    List<EventEnvelope<SessionEvent>> split = new ArrayList<>();
    for (int turn = 1; turn <= 2 * turns; turn++) {
      List<EventEnvelope<SessionEvent>> into = turn <= turns ? whole : split;
      int from = e.envelopes.size();
      e.add("h1", new MessageReceived("hm" + turn, "question " + turn, true, e.at()));
      e.add("h1", new TurnStarted(turn, "hr" + turn, List.of("hm" + turn), 1, e.at()));
      e.add("h1", new AgentReplied(turn, "ho" + turn, "answer " + turn, 1, List.of(), List.of(), "local", "m", 0, 0, e.at()));
      e.add("h1", new TurnSettled(turn, List.of("hm" + turn), 1, e.at()));
      e.add("h1", new DeliveryUpdated("ho" + turn, DeliveryStatus.SENT, "wamid-h" + turn, null, e.at()));
      into.addAll(e.envelopes.subList(from, e.envelopes.size()));
    }

    int wholeTrips = started.writer().groups(whole, 5);
    int splitTrips = started.writer().groups(split, List.of(2, 3));

    assertThat(wholeTrips).as("round trips for %d turns, one group each", turns).isLessThanOrEqualTo(4 * turns);
    assertThat(splitTrips).as("round trips for %d turns, each over two groups", turns).isLessThanOrEqualTo(8 * turns);
    assertThat(Sql.strings(started.writer().database(), "SELECT pending_work FROM conversations WHERE session_id = 'h1'"))
        .containsOnlyNulls();
    assertThat(Sql.longs(started.writer().database(), "SELECT message_count FROM conversations WHERE session_id = 'h1'"))
        .containsExactly(4L * turns);
  }

  /**
   * A reply that starts and settles its turn (the one event of the common turn) writes the rows of
   * the three events it stands for: the reply, the credits, and no work left owed for the turn.
   */
  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aReplyThatStartsAndSettlesItsTurnWritesWhatItsThreeEventsWrite(
      TestDatabases kind, FreshDatabases databases, @TempDir Path dir) throws Exception {
    Events three = new Events();
    Events one = new Events();
    for (Events e : List.of(three, one)) {
      e.add("c1", new ConversationStarted(new Profile("c1", "grp-b", "agent-b", "whatsapp", "+31600000007"), e.at()));
      e.add("c1", new MessageReceived("m1", "Do you fix boilers?", true, e.at()));
      e.add("c1", new MessageReceived("m2", "Today?", true, e.at()));
      Instant at = e.at();
      TurnStarted started = new TurnStarted(1, "c1:1", List.of("m1", "m2"), 2, at);
      AgentReplied reply = new AgentReplied(1, "o1", "Yes, today", 2, List.of(), List.of(), "local", "m", 0, 0, at);
      TurnSettled settled = new TurnSettled(1, List.of("m1", "m2"), 2, at);
      if (e == three) {
        e.add("c1", started);
        e.add("c1", reply);
        e.add("c1", settled);
      } else {
        e.add("c1", new AgentReplied(1, "o1", "Yes, today", 2, List.of(), List.of(), "local", "m", 0, 0, at, started, settled));
      }
      e.add("c1", new MessageReceived("m3", "Thanks", true, e.at()));
    }

    Written fromThree = write(databases.create(kind, dir.resolve("three")), three.envelopes, 1);
    Written fromOne = write(databases.create(kind, dir.resolve("one")), one.envelopes, 1);

    for (String table : List.of("conversations ORDER BY session_id", "messages ORDER BY session_id, direction, message_id")) {
      // The rows record the journal position they came from: one event instead of three shifts those.
      assertThat(withoutSequence(fromOne.rows().get(table))).as(table).isEqualTo(withoutSequence(fromThree.rows().get(table)));
    }
    assertThat(Sql.longs(fromOne.writer().database(), "SELECT credits_used FROM conversations WHERE session_id = 'c1'"))
        .containsExactly(2L);
    assertThat(Sql.strings(fromOne.writer().database(), "SELECT pending_work FROM conversations WHERE session_id = 'c1'"))
        .singleElement().asString().contains("msg:m3", "out:o1").doesNotContain("turn:1", "msg:m1", "msg:m2");
  }

  private static List<String> withoutSequence(List<String> rows) {
    return rows.stream().map(row -> row.replaceAll("sequence_number=\\d+ ", "")).toList();
  }

  private record Written(Map<String, List<String>> rows, int roundTrips, Writer writer) {}

  /** A database with the test's organizations and one projection handler writing into it. */
  private record Writer(DatabaseSettings database, CountingDataSource source, ConversationHandler handler) {
    int groups(List<EventEnvelope<SessionEvent>> events, int size) throws Exception {
      return groups(events, List.of(size));
    }

    /** Writes the events in groups of the sizes given, in turn; returns the round trips it took. */
    int groups(List<EventEnvelope<SessionEvent>> events, List<Integer> sizes) throws Exception {
      int before = source.sent();
      int from = 0;
      for (int i = 0; from < events.size(); i++) {
        int to = Math.min(events.size(), from + sizes.get(i % sizes.size()));
        PooledJdbcSession session = source.newSession();
        try {
          handler.process(session, events.subList(from, to));
          session.commit();
        } finally {
          session.close();
        }
        from = to;
      }
      return source.sent() - before;
    }
  }

  private static Written write(DatabaseSettings database, List<EventEnvelope<SessionEvent>> events, int groupSize)
      throws Exception {
    SchemaMigrations.migrate(database);
    Instant opened = T0.minusSeconds(3600);
    Sql.update(database, "INSERT INTO organizations (org_id, name, tier, parent_org_id, opened_at) VALUES (?, ?, ?, ?, ?)",
        "grp-a", "A", "pro", null, java.sql.Timestamp.from(opened));
    Sql.update(database, "INSERT INTO organizations (org_id, name, tier, parent_org_id, opened_at) VALUES (?, ?, ?, ?, ?)",
        "grp-b", "B", "pro", null, java.sql.Timestamp.from(opened));
    Sql.update(database, "INSERT INTO webhook_subscriptions (subscription_id, org_id, url, secret, event_types, created_at)"
        + " VALUES (?, ?, ?, ?, ?, ?)", "sub-a", "grp-a", "https://example.com/hook", "s", "*", java.sql.Timestamp.from(opened));
    CountingDataSource source = new CountingDataSource(database);
    Writer writer = new Writer(database, source,
        new ConversationHandler(GRACE, new OrgParents(Clock.systemUTC(), Duration.ofMinutes(2))));
    int roundTrips = writer.groups(events, groupSize);
    return new Written(dump(database), roundTrips, writer);
  }

  private static Map<String, List<String>> dump(DatabaseSettings database) throws SQLException {
    Map<String, List<String>> tables = new LinkedHashMap<>();
    try (Connection connection = Sql.connect(database); Statement statement = connection.createStatement()) {
      for (String table : TABLES) {
        List<String> rows = new ArrayList<>();
        try (ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
          ResultSetMetaData columns = result.getMetaData();
          while (result.next()) {
            StringBuilder row = new StringBuilder();
            for (int i = 1; i <= columns.getColumnCount(); i++) {
              row.append(columns.getColumnName(i)).append('=').append(result.getString(i)).append(' ');
            }
            rows.add(row.toString());
          }
        }
        tables.put(table, rows);
      }
    }
    return tables;
  }

  /** Three conversations, interleaved: the happy turn, tools, approvals, people, follow-ups, credits, receipts, opt-out. */
  private static List<EventEnvelope<SessionEvent>> conversations() {
    Events e = new Events();
    e.add("s1", new ConversationStarted(new Profile("s1", "grp-a", "agent-a", "whatsapp", "+31600000001"), e.at()));
    e.add("s2", new ConversationStarted(new Profile("s2", "grp-b", "agent-b", "sms", "+31600000002"), e.at()));
    e.add("s1", new MessageReceived("m1", "Hello, my tap leaks", true, e.at()));
    e.add("s2", new MessageReceived("n1", "Are you open?", true, e.at()));
    e.add("s1", new TurnStarted(1, "r1", List.of("m1"), 1, e.at()));
    e.add("s2", new TurnStarted(1, "r2", List.of("n1"), 1, e.at()));
    e.add("s1", new ToolRan(1, "c1", "capture_lead", Map.of("name", "Ann", "need", "tap"), "ok", true, 0, e.at()));
    e.add("s2", new CreditsRanOut(1, List.of("n1"), 0, e.at()));
    e.add("s1", new AgentReplied(1, "o1", "We can come today", 1, List.of(), List.of(), "local", "m", 0, 0, e.at()));
    e.add("s2", new ReplyQueued("o2", OutboundKind.UNAVAILABLE, SessionState.AGENT, "Not now", null, e.at()));
    e.add("s1", new TurnSettled(1, List.of("m1"), 1, e.at()));
    e.add("s1", new DeliveryUpdated("o1", DeliveryStatus.SENT, "wamid-1", null, e.at()));
    e.add("s3", new ConversationStarted(new Profile("s3", "grp-a", "agent-a", "webchat", "visitor-3"), e.at()));
    e.add("s1", new ReactionReceived("m-r", "wamid-1", "o1", "👍", e.at()));
    e.add("s2", new NoticeReceived("n2", InboundMessage.Kind.STICKER, "[sticker]", e.at()));
    e.add("s1", new DeliveryUpdated("o1", DeliveryStatus.READ, null, null, e.at()));
    e.add("s3", new MessageReceived("v1", "Hi", true, e.at()));
    e.add("s1", new FollowupScheduled("f1", e.at().plus(Duration.ofHours(2)), "Still leaking?", e.at()));
    e.add("s2", new MessageReceived("n3", "Hello?", true, e.at()));
    e.add("s3", new ReplyBlocked(List.of("v1"), "no sender", e.at()));
    e.add("s1", new MessageReceived("m2", "Book me for Tuesday", true, e.at()));
    e.add("s2", new TurnStarted(2, "r3", List.of("n3"), 1, e.at()));
    e.add("s1", new FollowupCancelled("f1", "the customer wrote", e.at()));
    e.add("s1", new TurnStarted(2, "r4", List.of("m2"), 1, e.at()));
    e.add("s2", new TurnFailed(2, "model timeout", e.at()));
    e.add("s1", new ApprovalRequested(new Approval("ap1", 2, ApprovalKind.TOOL, "c2", "book_appointment",
        Map.of("requested_time", "Tuesday"), null, e.at().plus(Duration.ofMinutes(30)), null), e.at()));
    e.add("s2", new ReplyQueued("o3", OutboundKind.APOLOGY, SessionState.AGENT, "Sorry", null, e.at()));
    e.add("s1", new ReplyQueued("o4", OutboundKind.HOLDING, SessionState.AGENT, "Passed on", null, e.at()));
    e.add("s2", new HandedOff("team", "model timeout", e.at().plus(Duration.ofMinutes(10)), e.at()));
    e.add("s1", new ApprovalDecided("ap1", true, "bob", false, e.at()));
    e.add("s2", new TurnSettled(2, List.of("n3"), 0, e.at()));
    e.add("s1", new ToolRan(2, "c2", "book_appointment", Map.of("requested_time", "Tuesday", "service", "tap"), "ok", true, 1,
        e.at()));
    e.add("s2", new ReplyQueued("o5", OutboundKind.HUMAN, "carol", "I'll call you", null, e.at()));
    e.add("s1", new AgentReplied(2, "o6", "Booked", 2, List.of(), List.of(), "local", "m", 0, 0, e.at()));
    e.add("s2", new OwnerReminded(e.at()));
    e.add("s1", new TurnSettled(2, List.of("m2"), 2, e.at()));
    e.add("s2", new HandedBack("carol", e.at()));
    e.add("s1", new DeliveryUpdated("o6", DeliveryStatus.FAILED, null, "blocked", e.at()));
    e.add("s2", new DeliveryUpdated("o5", DeliveryStatus.SENT, "ib-5", null, e.at()));
    e.add("s1", new ContactOptedOut("m3", "STOP", e.at()));
    e.add("s2", new Closed("carol", e.at()));
    e.add("s1", new ContactOptedIn("m4", "START", e.at()));
    e.add("s2", new Reopened("dave", e.at()));
    e.add("s1", new FollowupScheduled("f2", e.at().plus(Duration.ofHours(1)), "Any news?", e.at()));
    e.add("s1", new FollowupSent("f2", "o7", e.at()));
    e.add("s3", new MessageReceived("v2", "Anyone?", false, e.at()));
    return e.envelopes;
  }

  /** Envelopes with each conversation's own sequence numbers and the journal's offsets. */
  private static final class Events {
    private final List<EventEnvelope<SessionEvent>> envelopes = new ArrayList<>();
    private final Map<String, Long> sequences = new LinkedHashMap<>();
    private int seconds;

    Instant at() {
      return T0.plusSeconds(++seconds);
    }

    void add(String sessionId, SessionEvent event) {
      long sequence = sequences.merge(sessionId, 1L, Long::sum);
      envelopes.add(EventEnvelope.create(Offset.sequence(envelopes.size() + 1), SessionEntity.TYPE_KEY.name() + "|" + sessionId,
          sequence, event, event.at().toEpochMilli()));
    }
  }
}
