package io.layercake.persistence.inbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.conversations.JdbcConversationListing;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.inbox.CannedReplies;
import io.layercake.runtime.session.ConversationListing.ConversationQuery;
import io.layercake.runtime.session.ConversationListing.ConversationSummary;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The team's side of the inbox on H2 and PostgreSQL: assignments move and go, notes stay in order,
 * read marks never move back, canned replies per organization; and the conversation search by
 * text (wildcards taken literally) and by assignee, previews and change marks.
 */
@ExtendWith(FreshDatabases.Extension.class)
class JdbcInboxTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");
  private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void theTeamsSideOfConversations(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      conversation(database, "s-1", "org-a", "+31 6 1111", 1, "My boiler is leaking_100%");
      conversation(database, "s-2", "org-a", "anna@example.com", 2, "Do you fix taps?");
      conversation(database, "s-3", "org-b", "+31 6 3333", 3, "My boiler too");

      JdbcAssignments assignments = new JdbcAssignments(database, CLOCK);
      join(assignments.assign("s-1", "org-a", "u-tom", "Olivia"));
      join(assignments.assign("s-1", "org-a", "u-mia", "Olivia"));
      assertThat(join(assignments.of(List.of("s-1", "s-2")))).containsOnlyKeys("s-1");
      assertThat(join(assignments.of(List.of("s-1"))).get("s-1").userId()).as("the latest assignment wins").isEqualTo("u-mia");

      JdbcConversationListing listing = new JdbcConversationListing(database);
      assertThat(sessions(join(listing.search(query(List.of("org-a", "org-b"), "BOILER", null))))).containsExactlyInAnyOrder("s-1", "s-3");
      assertThat(sessions(join(listing.search(query(List.of("org-a"), "boiler", null))))).containsExactly("s-1");
      assertThat(sessions(join(listing.search(query(List.of("org-a"), "ANNA@", null))))).containsExactly("s-2");
      assertThat(sessions(join(listing.search(query(List.of("org-a"), "_100%", null))))).containsExactly("s-1");
      assertThat(join(listing.search(query(List.of("org-a"), "leakin__100", null)))).as("_ is not a wildcard").isEmpty();
      assertThat(sessions(join(listing.search(query(List.of("org-a"), null, "u-mia"))))).containsExactly("s-1");
      assertThat(sessions(join(listing.search(query(List.of("org-a"), null, ConversationQuery.UNASSIGNED))))).containsExactly("s-2");
      assertThat(join(assignments.unassign("s-1"))).isTrue();
      assertThat(join(assignments.unassign("s-1"))).isFalse();

      assertThat(join(listing.lastMessages(List.of("s-1", "s-2", "s-9"))))
          .extractingFromEntries(entry -> entry.getKey() + ":" + entry.getValue().text())
          .containsExactlyInAnyOrder("s-1:My boiler is leaking_100%", "s-2:Do you fix taps?");
      String before = join(listing.changeMark(List.of("org-a")));
      String sessionBefore = join(listing.changeMark("s-2"));
      message(database, "s-2", 2, "Or a shower?");
      assertThat(join(listing.changeMark(List.of("org-a")))).isNotEqualTo(before);
      assertThat(join(listing.changeMark("s-2"))).isNotEqualTo(sessionBefore);
      assertThat(join(listing.changeMark(List.of("org-b")))).isEqualTo(join(listing.changeMark(List.of("org-b"))));

      JdbcConversationNotes notes = new JdbcConversationNotes(database, CLOCK);
      join(notes.add("s-1", "org-a", "u-tom", "Tom", "First"));
      join(notes.add("s-1", "org-a", null, "zapier (key:k1)", "Second"));
      assertThat(join(notes.of("s-1"))).extracting(note -> note.author() + ": " + note.text())
          .containsExactly("Tom: First", "zapier (key:k1): Second");
      assertThat(join(notes.of("s-2"))).isEmpty();

      JdbcReadMarks reads = new JdbcReadMarks(database, CLOCK);
      join(reads.seen("u-tom", "s-1", 3));
      join(reads.seen("u-tom", "s-1", 2));
      join(reads.seen("u-tom", "s-2", 1));
      assertThat(join(reads.seen("u-tom", List.of("s-1", "s-2", "s-3")))).isEqualTo(Map.of("s-1", 3L, "s-2", 1L));
      assertThat(join(reads.seen("u-mia", List.of("s-1")))).isEmpty();

      JdbcCannedReplies replies = new JdbcCannedReplies(database, CLOCK);
      CannedReplies.CannedReply hours = join(replies.add("org-a", "Hours", "Nine to five.", "Olivia"));
      join(replies.add("org-b", "Prices", "EUR 65.", "Bea"));
      assertThat(join(replies.of(List.of("org-a")))).containsExactly(hours);
      assertThat(join(replies.delete("org-b", hours.replyId()))).as("only its own organization deletes it").isFalse();
      assertThat(join(replies.delete("org-a", hours.replyId()))).isTrue();
      assertThat(join(replies.of(List.of("org-a", "org-b")))).extracting(CannedReplies.CannedReply::title).containsExactly("Prices");

      JdbcBookingDecisions decisions = new JdbcBookingDecisions(database, CLOCK);
      assertThat(join(decisions.decide(7, "accepted", "Tom")).status()).isEqualTo("accepted");
      assertThat(join(decisions.decide(7, "declined", "Mia"))).as("the first answer stands")
          .isEqualTo(new io.layercake.runtime.inbox.BookingDecisions.Decision(7, "accepted", "Tom", NOW));
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static ConversationQuery query(List<String> orgIds, String text, String assignee) {
    return new ConversationQuery(orgIds, null, null, null, null, null, text, assignee, null, null, 50);
  }

  private static List<String> sessions(List<ConversationSummary> found) {
    return found.stream().map(ConversationSummary::sessionId).toList();
  }

  private static void conversation(ApplicationDatabase database, String sessionId, String orgId, String contact, int minute, String text) {
    Instant at = NOW.minusSeconds(3600 - minute * 60L);
    join(database.write(connection -> Statements.update(connection, "INSERT INTO conversations (session_id, org_id, agent_id, channel,"
            + " contact, status, owner, started_at, last_message_at, message_count, credits_used, credits_exhausted)"
            + " VALUES (?, ?, 'bot', 'test', ?, 'active', 'agent', ?, ?, 1, 0, FALSE)", sessionId, orgId, contact, at, at)));
    message(database, sessionId, 1, text);
  }

  private static void message(ApplicationDatabase database, String sessionId, long sequence, String text) {
    Instant at = NOW.plusSeconds(sequence);
    join(database.write(connection -> {
      Statements.update(connection, "INSERT INTO messages (session_id, direction, message_id, kind, author, text, created_at, updated_at,"
          + " sequence_number) VALUES (?, 'inbound', ?, 'customer', 'customer', ?, ?, ?, ?)", sessionId, "m-" + sequence, text, at, at,
          sequence);
      return Statements.update(connection, "UPDATE conversations SET message_count = ?, last_message_at = ? WHERE session_id = ?",
          sequence, at, sessionId);
    }));
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
