package io.layercake.persistence.outreach;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.outreach.WhatsAppTemplate;
import io.layercake.runtime.outreach.WhatsAppTemplates;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The templates in {@code whatsapp_templates}; a sync replaces an organization's rows in one transaction. */
public final class JdbcWhatsAppTemplates implements WhatsAppTemplates {
  private static final String COLUMNS = "SELECT template_id, name, language, category, status, body, parameters, updated_at"
      + " FROM whatsapp_templates";

  private final ApplicationDatabase database;

  public JdbcWhatsAppTemplates(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<List<WhatsAppTemplate>> replace(String orgId, List<WhatsAppTemplate> templates, Instant at) {
    return database.write(connection -> {
      update(connection, "DELETE FROM whatsapp_templates WHERE org_id = ?", orgId);
      for (WhatsAppTemplate template : templates) {
        update(connection, "INSERT INTO whatsapp_templates (org_id, template_id, name, language, category, status, body, parameters,"
                + " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", orgId, template.templateId(), template.name(), template.language(),
            template.category(), template.status(), template.body(), String.join("\n", template.parameters()), at);
      }
      return all(connection, orgId);
    });
  }

  @Override
  public CompletionStage<List<WhatsAppTemplate>> of(String orgId) {
    return database.read(connection -> all(connection, orgId));
  }

  @Override
  public CompletionStage<Optional<WhatsAppTemplate>> find(String orgId, String name, String language) {
    return database.read(connection -> first(connection, COLUMNS + " WHERE org_id = ? AND name = ? AND language = ?",
        JdbcWhatsAppTemplates::template, orgId, name, language));
  }

  @Override
  public CompletionStage<Integer> statusChanged(String orgId, String templateId, String status, String reason, Instant at) {
    return database.write(connection -> update(connection,
        "UPDATE whatsapp_templates SET status = ?, reason = ?, updated_at = ? WHERE org_id = ? AND template_id = ?",
        status, reason, at, orgId, templateId));
  }

  private static List<WhatsAppTemplate> all(Connection connection, String orgId) throws SQLException {
    return query(connection, COLUMNS + " WHERE org_id = ? ORDER BY name, language", JdbcWhatsAppTemplates::template, orgId);
  }

  private static WhatsAppTemplate template(ResultSet rows) throws SQLException {
    String parameters = rows.getString("parameters");
    return new WhatsAppTemplate(rows.getString("template_id"), rows.getString("name"), rows.getString("language"),
        rows.getString("category"), rows.getString("status"), rows.getString("body"),
        parameters.isEmpty() ? List.of() : Arrays.asList(parameters.split("\n")), instant(rows, "updated_at"));
  }
}
