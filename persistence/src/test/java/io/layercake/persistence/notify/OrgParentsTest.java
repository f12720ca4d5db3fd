package io.layercake.persistence.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.config.DatabaseSettings;
import io.layercake.persistence.schema.SchemaMigrations;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A feed waits for the organization directory instead of recording a client's events without its agency. */
@ExtendWith(FreshDatabases.Extension.class)
class OrgParentsTest {

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void waitsForTheDirectoryThenRemembersTheParent(TestDatabases kind, FreshDatabases databases, @TempDir Path dir) throws SQLException {
    DatabaseSettings database = databases.create(kind, dir);
    SchemaMigrations.migrate(database);
    OrgParents parents = new OrgParents(Clock.systemUTC(), Duration.ofHours(1));
    try (Connection connection = Sql.connect(database)) {
      assertThatThrownBy(() -> parents.parentOf(connection, "client"))
          .isInstanceOf(OrgParents.DirectoryBehind.class)
          .hasMessageContaining("client");
      assertThatThrownBy(() -> parents.parentOf(connection, "client")).as("still behind").isInstanceOf(OrgParents.DirectoryBehind.class);

      open(database, "agency", null);
      open(database, "client", "agency");
      assertThat(parents.parentOf(connection, "client")).isEqualTo("agency");
      assertThat(parents.parentOf(connection, "agency")).as("a top-level organization").isNull();

      Sql.update(database, "DELETE FROM organizations WHERE org_id = ?", "client");
      assertThat(parents.parentOf(connection, "client")).as("remembered: a parent never changes").isEqualTo("agency");
    }
  }

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void anOrganizationTheDirectoryNeverLearnsOfStopsHoldingTheFeedUpAfterThePatience(
      TestDatabases kind, FreshDatabases databases, @TempDir Path dir) throws SQLException {
    DatabaseSettings database = databases.create(kind, dir);
    SchemaMigrations.migrate(database);
    OrgParents impatient = new OrgParents(Clock.systemUTC(), Duration.ZERO);
    try (Connection connection = Sql.connect(database)) {
      assertThat(impatient.parentOf(connection, "never-opened")).isNull();

      open(database, "never-opened", "agency");
      assertThat(impatient.parentOf(connection, "never-opened")).as("given up on, so recorded as it was").isNull();
    }
  }

  private static void open(DatabaseSettings database, String orgId, String parentOrgId) {
    Sql.update(database, "INSERT INTO organizations (org_id, name, tier, parent_org_id, opened_at) VALUES (?, ?, 'pro', ?, ?)",
        orgId, orgId, parentOrgId, Timestamp.from(Instant.now()));
  }
}
