package io.layercake.persistence.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.ConversationListing.ApprovalRecord;
import io.layercake.runtime.session.ConversationListing.Lead;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Leads, booking requests and approvals page with keyset cursors over several organizations: every
 * row once, in order, none of an organization not asked for, on H2 and PostgreSQL; and each
 * organization's activity (today, this month, waiting for a person, leads, bookings) is counted apart.
 */
@ExtendWith(FreshDatabases.Extension.class)
class ConversationListingPagesTest {
  private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void listsPageWithoutGapsOrRepeats(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(io.layercake.persistence.NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      join(database.write(connection -> {
        for (int i = 1; i <= 5; i++) {
          String org = i % 2 == 0 ? "client" : "agency";
          Statements.update(connection, "INSERT INTO leads (org_id, agent_id, session_id, name, created_at, persistence_id,"
              + " sequence_number) VALUES (?, 'bot', 's', ?, ?, 'Session|s', ?)", org, "lead " + i, AT.plusSeconds(i), (long) i);
          Statements.update(connection, "INSERT INTO booking_requests (org_id, agent_id, session_id, service, created_at,"
              + " persistence_id, sequence_number) VALUES (?, 'bot', 's', ?, ?, 'Session|s', ?)", org, "job " + i, AT, (long) i);
          // two approvals share a request time: the id decides their order
          Statements.update(connection, "INSERT INTO approvals (approval_id, session_id, org_id, kind, status, requested_at,"
              + " expires_at) VALUES (?, 's', ?, 'tool', 'pending', ?, ?)", "a-" + i, org, AT.plusSeconds(i / 2), AT.plusSeconds(3600));
        }
        Statements.update(connection, "INSERT INTO leads (org_id, agent_id, session_id, name, created_at, persistence_id,"
            + " sequence_number) VALUES ('stranger', 'bot', 's', 'not yours', ?, 'Session|x', 1)", AT);
        return null;
      }));
      JdbcConversationListing listing = new JdbcConversationListing(database);
      List<String> visible = List.of("agency", "client");

      List<String> leads = new ArrayList<>();
      Long before = null;
      for (int page = 0; page < 5; page++) {
        List<Lead> found = join(listing.leads(visible, before, 2));
        found.forEach(lead -> leads.add(lead.name()));
        if (found.size() < 2) {
          break;
        }
        before = found.get(found.size() - 1).id();
      }
      assertThat(leads).containsExactly("lead 5", "lead 4", "lead 3", "lead 2", "lead 1");
      assertThat(join(listing.bookingRequests(visible, null, 10))).hasSize(5);
      assertThat(join(listing.bookingRequests(List.of("client"), null, 10))).extracting(ConversationListing.BookingRequest::service)
          .containsExactly("job 4", "job 2");

      List<String> approvals = new ArrayList<>();
      Instant afterAt = null;
      String afterId = null;
      for (int page = 0; page < 5; page++) {
        List<ApprovalRecord> found = join(listing.approvals(visible, "pending", afterAt, afterId, 2));
        found.forEach(approval -> approvals.add(approval.approvalId()));
        if (found.size() < 2) {
          break;
        }
        afterAt = found.get(found.size() - 1).requestedAt();
        afterId = found.get(found.size() - 1).approvalId();
      }
      assertThat(approvals).containsExactly("a-1", "a-2", "a-3", "a-4", "a-5");

      join(database.write(connection -> {
        String insert = "INSERT INTO conversations (session_id, org_id, agent_id, channel, contact, status, owner, started_at,"
            + " last_message_at, message_count, credits_used, credits_exhausted) VALUES (?, ?, 'bot', 'test', 'c', ?, 'agent', ?, ?, 1, 0,"
            + " FALSE)";
        Statements.update(connection, insert, "s-today", "client", "handed_off", AT, AT.plusSeconds(60));
        Statements.update(connection, insert, "s-month", "client", "active", AT.minusSeconds(86_400 * 3), AT.minusSeconds(86_400 * 3));
        Statements.update(connection, insert, "s-last-month", "client", "handed_off", AT.minusSeconds(86_400 * 40), AT.minusSeconds(86_400 * 40));
        Statements.update(connection, insert, "s-stranger", "stranger", "handed_off", AT, AT);
        return null;
      }));
      Instant dayStart = Instant.parse("2026-12-05T00:00:00Z");
      Instant monthStart = Instant.parse("2026-12-01T00:00:00Z");
      var activity = join(listing.activity(List.of("client", "agency", "quiet"), dayStart, monthStart));
      assertThat(activity.keySet()).as("every organization asked for, no other").containsExactlyInAnyOrder("client", "agency", "quiet");
      assertThat(activity.get("client")).isEqualTo(new ConversationListing.ClientActivity("client", 1, 2, 2, 2, 2, AT.plusSeconds(60)));
      assertThat(activity.get("agency").leadsThisMonth()).isEqualTo(3);
      assertThat(activity.get("quiet")).isEqualTo(ConversationListing.ClientActivity.none("quiet"));
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
