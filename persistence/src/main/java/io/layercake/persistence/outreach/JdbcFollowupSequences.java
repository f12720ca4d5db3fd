package io.layercake.persistence.outreach;

import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.outreach.FollowupSequence;
import io.layercake.runtime.outreach.FollowupSequences;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** The agents' follow-up sequences in {@code followup_sequences}, each definition as JSON. */
public final class JdbcFollowupSequences implements FollowupSequences {
  private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private final ApplicationDatabase database;

  public JdbcFollowupSequences(ApplicationDatabase database) {
    this.database = database;
  }

  /** What a row's definition holds: the sequence less its keys. */
  private record Definition(List<FollowupSequence.Step> steps, boolean stopOnReply, boolean stopOnBooking) {}

  @Override
  public CompletionStage<List<FollowupSequence>> sequences(String orgId, String agentId) {
    return database.read(connection -> query(connection, "SELECT agent_id, name, trigger_event, definition FROM followup_sequences"
        + " WHERE org_id = ? AND agent_id = ? ORDER BY name", JdbcFollowupSequences::sequence, orgId, agentId));
  }

  @Override
  public CompletionStage<FollowupSequence> save(String orgId, FollowupSequence sequence, Instant at) {
    String definition = json(new Definition(sequence.steps(), sequence.stopOnReply(), sequence.stopOnBooking()));
    return database.write(connection -> {
      Object[] values = {sequence.trigger().wireName(), definition, at, orgId, sequence.agentId(), sequence.name()};
      if (update(connection, "UPDATE followup_sequences SET trigger_event = ?, definition = ?, updated_at = ?"
          + " WHERE org_id = ? AND agent_id = ? AND name = ?", values) == 0) {
        update(connection, "INSERT INTO followup_sequences (trigger_event, definition, updated_at, org_id, agent_id, name)"
            + " VALUES (?, ?, ?, ?, ?, ?)", values);
      }
      return sequence;
    });
  }

  @Override
  public CompletionStage<Boolean> delete(String orgId, String agentId, String name) {
    return database.write(connection -> update(connection,
        "DELETE FROM followup_sequences WHERE org_id = ? AND agent_id = ? AND name = ?", orgId, agentId, name) > 0);
  }

  private static FollowupSequence sequence(ResultSet rows) throws SQLException {
    try {
      Definition definition = MAPPER.readValue(rows.getString("definition"), Definition.class);
      return new FollowupSequence(rows.getString("agent_id"), rows.getString("name"),
          FollowupSequence.Trigger.named(rows.getString("trigger_event")).orElse(FollowupSequence.Trigger.MANUAL),
          definition.steps(), definition.stopOnReply(), definition.stopOnBooking());
    } catch (JsonProcessingException e) {
      throw new SQLException("unreadable follow-up sequence " + rows.getString("name"), e);
    }
  }

  private static String json(Definition definition) {
    try {
      return MAPPER.writeValueAsString(definition);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("a sequence's definition is not JSON", e);
    }
  }
}
