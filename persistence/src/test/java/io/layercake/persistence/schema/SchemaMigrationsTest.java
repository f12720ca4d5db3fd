package io.layercake.persistence.schema;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.DatabaseSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.Sql;
import java.nio.file.Path;
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

    assertThat(first.appliedNow()).isEqualTo(14);
    assertThat(second.appliedNow()).isZero();
    assertThat(second.version()).isEqualTo(first.version()).isEqualTo("18");
    assertThat(Sql.tables(database))
        .contains(
            "event_journal", "event_tag", "snapshot", "durable_state",
            "pekko_projection_offset_store", "pekko_projection_management", "flyway_schema_history",
            "credit_transactions", "open_reservations", "notifications", "knowledge_documents", "agent_imports", "channel_bindings", "agents",
            "conversations", "messages", "leads", "booking_requests", "session_wakeups", "channel_accounts", "webchat_visitors",
            "stripe_customers", "stripe_events", "billing_subscriptions", "sms_numbers", "organizations", "api_keys", "approvals",
            "webhook_subscriptions", "webhook_events", "webhook_deliveries", "cluster_claims",
            "organization_phone_settings", "sms_reply_numbers");
  }
}
