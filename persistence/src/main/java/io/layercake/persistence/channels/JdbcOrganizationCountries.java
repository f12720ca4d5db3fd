package io.layercake.persistence.channels;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.channel.OrganizationCountries;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Organizations' default countries for typed phone numbers ({@code organization_phone_settings}). */
public final class JdbcOrganizationCountries implements OrganizationCountries {
  private final ApplicationDatabase database;
  private final Clock clock;

  public JdbcOrganizationCountries(ApplicationDatabase database, Clock clock) {
    this.database = database;
    this.clock = clock;
  }

  @Override
  public CompletionStage<Optional<String>> country(String orgId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement(
          "SELECT default_country FROM organization_phone_settings WHERE org_id = ?")) {
        select.setString(1, orgId);
        try (ResultSet rows = select.executeQuery()) {
          return rows.next() ? Optional.ofNullable(rows.getString(1)) : Optional.<String>empty();
        }
      }
    });
  }

  @Override
  public CompletionStage<Optional<String>> save(String orgId, Optional<String> country) {
    return database.write(connection -> {
      try (PreparedStatement delete = connection.prepareStatement(
          "DELETE FROM organization_phone_settings WHERE org_id = ?")) {
        delete.setString(1, orgId);
        delete.executeUpdate();
      }
      if (country.isPresent()) {
        try (PreparedStatement insert = connection.prepareStatement(
            "INSERT INTO organization_phone_settings (org_id, default_country, updated_at) VALUES (?, ?, ?)")) {
          insert.setString(1, orgId);
          insert.setString(2, country.get());
          insert.setTimestamp(3, Timestamp.from(clock.instant()));
          insert.executeUpdate();
        }
      }
      return country;
    });
  }
}
