package io.layercake.persistence.outreach;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.update;

import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.outreach.OutreachSettingsStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

/** The organizations' outreach settings in {@code outreach_settings}; an organization without a row has {@link OutreachSettings#NONE}. */
public final class JdbcOutreachSettings implements OutreachSettingsStore {
  private final ApplicationDatabase database;

  public JdbcOutreachSettings(ApplicationDatabase database) {
    this.database = database;
  }

  @Override
  public CompletionStage<OutreachSettings> of(String orgId) {
    return database.read(connection -> first(connection, "SELECT time_zone, quiet_from, quiet_until, followup_template,"
            + " followup_language, followup_takes_text, reminder_template, reminder_language, reminder_takes_text, review_link,"
            + " review_delay, review_period_days, review_text, review_template, review_language, review_takes_text"
            + " FROM outreach_settings WHERE org_id = ?", JdbcOutreachSettings::settings, orgId).orElse(OutreachSettings.NONE));
  }

  @Override
  public CompletionStage<OutreachSettings> save(String orgId, OutreachSettings settings, Instant at) {
    return database.write(connection -> {
      OutreachSettings.TemplateChoice followup = settings.followupTemplate();
      OutreachSettings.TemplateChoice reminder = settings.reminderTemplate();
      OutreachSettings.ReviewRequests review = settings.review();
      OutreachSettings.TemplateChoice reviewTemplate = review == null ? null : review.template();
      Object[] values = {settings.timeZone(), settings.quietFrom(), settings.quietUntil(),
          followup == null ? null : followup.name(), followup == null ? null : followup.language(), followup != null && followup.takesText(),
          reminder == null ? null : reminder.name(), reminder == null ? null : reminder.language(), reminder != null && reminder.takesText(),
          review == null ? null : review.link(), review == null ? null : review.delay(), review == null ? null : review.periodDays(),
          review == null ? null : review.text(), reviewTemplate == null ? null : reviewTemplate.name(),
          reviewTemplate == null ? null : reviewTemplate.language(), reviewTemplate != null && reviewTemplate.takesText(),
          at, orgId};
      if (update(connection, "UPDATE outreach_settings SET time_zone = ?, quiet_from = ?, quiet_until = ?, followup_template = ?,"
          + " followup_language = ?, followup_takes_text = ?, reminder_template = ?, reminder_language = ?, reminder_takes_text = ?,"
          + " review_link = ?, review_delay = ?, review_period_days = ?, review_text = ?, review_template = ?, review_language = ?,"
          + " review_takes_text = ?, updated_at = ? WHERE org_id = ?", values) == 0) {
        update(connection, "INSERT INTO outreach_settings (time_zone, quiet_from, quiet_until, followup_template, followup_language,"
            + " followup_takes_text, reminder_template, reminder_language, reminder_takes_text, review_link, review_delay,"
            + " review_period_days, review_text, review_template, review_language, review_takes_text, updated_at, org_id)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", values);
      }
      return settings;
    });
  }

  private static OutreachSettings settings(ResultSet rows) throws SQLException {
    return new OutreachSettings(rows.getString(1), rows.getString(2), rows.getString(3),
        rows.getString(4) == null ? null : new OutreachSettings.TemplateChoice(rows.getString(4), rows.getString(5), rows.getBoolean(6)),
        rows.getString(7) == null ? null : new OutreachSettings.TemplateChoice(rows.getString(7), rows.getString(8), rows.getBoolean(9)),
        rows.getString(10) == null ? null : new OutreachSettings.ReviewRequests(rows.getString(10), rows.getString(11), rows.getInt(12),
            rows.getString(13), rows.getString(14) == null ? null
                : new OutreachSettings.TemplateChoice(rows.getString(14), rows.getString(15), rows.getBoolean(16))));
  }
}
