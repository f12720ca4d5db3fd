package io.layercake.persistence.feed;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.NodeConfig;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.persistence.jdbc.Statements;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.feed.BroadcastEntity;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A broadcast's fan-out on H2 and PostgreSQL: one statement puts it into each of an agency's 1,000
 * clients' feeds (and the agency's own) once; a redelivered event adds nothing; the platform's
 * reaches every organization; with a priority it is one notification event. An organization's 100th
 * conversation is a milestone in its feed, once.
 */
@ExtendWith(FreshDatabases.Extension.class)
class BroadcastFanOutTest {
  private static final Instant NOW = Instant.parse("2026-12-05T10:00:00Z");

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void oneEventReachesEveryFeedOnce(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    LayercakeSettings settings = TestNodes.settings(dir, databases.create(kind, dir), 100);
    SchemaMigrations.migrate(settings.database());
    ActorTestKit testKit = ActorTestKit.create(NodeConfig.pekkoConfig(settings));
    try {
      ApplicationDatabase database = ApplicationDatabase.start(testKit.system(), settings.database());
      join(database.write(connection -> {
        Statements.update(connection, "INSERT INTO organizations (org_id, name, tier, parent_org_id, opened_at) VALUES ('acme', 'Acme',"
            + " 'agency', NULL, ?)", NOW);
        Statements.update(connection, "INSERT INTO organizations (org_id, name, tier, parent_org_id, opened_at) VALUES ('other', 'Other',"
            + " 'agency', NULL, ?)", NOW);
        for (int i = 0; i < 1_000; i++) {
          Statements.update(connection, "INSERT INTO organizations (org_id, name, tier, parent_org_id, opened_at) VALUES (?, ?, 'free',"
              + " 'acme', ?)", "client-" + i, "Client " + i, NOW);
        }
        return null;
      }));
      BroadcastEntity.BroadcastSent sent = new BroadcastEntity.BroadcastSent("acme", BroadcastEntity.Audience.CLIENTS,
          "New: answers on WhatsApp", "Your agent answers WhatsApp too.", "normal", "Anna (user:u_1)", NOW);
      assertThat(fanOut(database, "bc_1", sent)).isEqualTo(1_001L);
      assertThat(fanOut(database, "bc_1", sent)).as("redelivered").isEqualTo(1_001L);
      assertThat(count(database, "SELECT COUNT(*) FROM feed_items WHERE source = 'broadcast:bc_1'")).isEqualTo(1_001L);
      assertThat(count(database, "SELECT COUNT(DISTINCT org_id) FROM feed_items WHERE source = 'broadcast:bc_1'")).isEqualTo(1_001L);
      assertThat(count(database, "SELECT COUNT(*) FROM feed_items WHERE org_id = 'other'")).as("another agency").isZero();
      assertThat(count(database, "SELECT organizations FROM broadcasts WHERE broadcast_id = 'bc_1'")).isEqualTo(1_001L);
      assertThat(count(database, "SELECT COUNT(*) FROM notifications WHERE kind = 'broadcast'")).as("one notification event").isEqualTo(1);

      BroadcastEntity.BroadcastSent platform = new BroadcastEntity.BroadcastSent("platform", BroadcastEntity.Audience.EVERYONE,
          "Maintenance tonight", "", null, "Root (user:u_0)", NOW);
      assertThat(fanOut(database, "bc_2", platform)).isEqualTo(1_002L);
      assertThat(count(database, "SELECT COUNT(*) FROM feed_items WHERE source = 'broadcast:bc_2' AND kind = 'platform'")).isEqualTo(1_002L);
      assertThat(count(database, "SELECT COUNT(*) FROM notifications WHERE kind = 'broadcast'")).as("no priority: the feed only")
          .isEqualTo(1);

      join(database.write(connection -> {
        for (int i = 0; i < 100; i++) {
          Statements.update(connection, "INSERT INTO conversations (session_id, org_id, agent_id, channel, contact, status, owner,"
              + " started_at, last_message_at, message_count, credits_used, credits_exhausted) VALUES (?, 'client-7', 'bot', 'test', ?,"
              + " 'active', 'agent', ?, ?, 1, 0, FALSE)", "s-" + i, "c-" + i, NOW, NOW);
        }
        return null;
      }));
      FeedMilestones milestones = new FeedMilestones(database);
      assertThat(join(milestones.writeDue(NOW))).as("100 conversations: a milestone").isEqualTo(1);
      assertThat(join(milestones.writeDue(NOW.plus(FeedMilestones.EVERY)))).as("once").isZero();
      assertThat(count(database, "SELECT COUNT(*) FROM feed_items WHERE org_id = 'client-7' AND title = '100 conversations'"))
          .isEqualTo(1L);
    } finally {
      testKit.shutdownTestKit();
    }
  }

  private static long fanOut(ApplicationDatabase database, String broadcastId, BroadcastEntity.BroadcastSent sent) {
    CompletionStage<Long> reached = database.write(connection -> FeedItems.fanOut(connection, broadcastId, sent));
    return join(reached);
  }

  private static long count(ApplicationDatabase database, String sql) {
    return join(database.read(connection -> Statements.first(connection, sql, rows -> rows.getLong(1)).orElseThrow()));
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }
}
