package io.layercake.persistence.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.Sql;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

@ExtendWith(FreshDatabases.Extension.class)
class SchemaMigrationsTest {

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void createsEveryTableOnce(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) {
    DatabaseSettings database = databases.create(kind, dir);

    SchemaMigrations.SchemaVersion first = SchemaMigrations.migrate(database);
    SchemaMigrations.SchemaVersion second = SchemaMigrations.migrate(database);

    List<Integer> shipped = shippedVersions(kind);
    assertThat(shipped).as("both dialects ship the same versions").isEqualTo(shippedVersions(TestDatabases.H2));
    assertThat(first.appliedNow()).as("every migration shipped for " + kind).isEqualTo(shipped.size());
    assertThat(second.appliedNow()).isZero();
    assertThat(second.version()).isEqualTo(first.version()).isEqualTo(Integer.toString(shipped.get(shipped.size() - 1)));
    assertThat(Sql.tables(database))
        .contains(
            "event_journal", "event_tag", "snapshot", "durable_state",
            "pekko_projection_offset_store", "pekko_projection_management", "flyway_schema_history",
            "credit_transactions", "open_reservations", "notifications", "knowledge_documents", "agent_imports", "channel_bindings", "agents",
            "conversations", "messages", "leads", "booking_requests", "channel_accounts", "webchat_visitors",
            "stripe_customers", "stripe_events", "billing_subscriptions", "sms_numbers", "organizations", "api_keys", "approvals",
            "webhook_subscriptions", "webhook_events", "webhook_deliveries", "cluster_claims",
            "organization_phone_settings", "sms_reply_numbers", "conversation_assignments", "conversation_notes", "conversation_reads",
            "canned_replies", "booking_decisions", "user_notifications", "notification_deliveries", "notification_preferences",
            "notification_targets", "notification_routes", "push_subscriptions", "vapid_keys", "dm_inbox", "dm_messages",
            "messaging_rules", "messaging_blocks", "organization_messaging", "feed_items", "feed_comments", "feed_reactions", "broadcasts",
            "portals", "portal_images", "portal_domains", "portal_openings", "appointments", "calendar_feeds", "invoice_series",
            "invoices", "contact_notes", "contact_tags", "handoff_contacts", "whatsapp_templates", "outreach_settings")
        .as("wake-ups live on the conversation row since V19").doesNotContain("session_wakeups");
  }

  /** The versions of the migration files on the class path for the database, in order. */
  private static List<Integer> shippedVersions(TestDatabases kind) {
    String folder = kind == TestDatabases.H2 ? "h2" : "postgresql";
    try (Stream<Path> files = Files.list(Path.of(SchemaMigrations.class.getResource("/db/migration/" + folder).toURI()))) {
      return files.map(file -> file.getFileName().toString())
          .filter(name -> name.matches("V\\d+__.+\\.sql"))
          .map(name -> Integer.parseInt(name.substring(1, name.indexOf("__"))))
          .sorted()
          .toList();
    } catch (IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
