package io.layercake.persistence.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.session.ConversationTimeline;
import io.layercake.runtime.session.RecordedTurn;
import io.layercake.runtime.session.RecordedTurns;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionEvent;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;

/**
 * Reads the journal for operators through the persistence query API (H2 and PostgreSQL alike):
 * persistence ids by entity type, and an entity's events with their sequence number, time, type,
 * JSON payload and tags.
 */
public final class JournalInspector {
  private static final ObjectMapper JSON = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);

  private final ActorSystem<?> system;
  private final JdbcReadJournal readJournal;
  private final ApplicationDatabase database;

  public JournalInspector(ActorSystem<?> system, ApplicationDatabase database) {
    this.system = system;
    this.database = database;
    this.readJournal = PersistenceQuery.get(system).getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
  }

  /** One event as the journal holds it. */
  public record JournalEvent(long sequenceNumber, Instant timestamp, String type, JsonNode payload, List<String> tags) {}

  /** Persistence ids of an entity type (all types when null), in order, after a cursor, at most {@code limit}. */
  public CompletionStage<List<String>> persistenceIds(String entityType, String after, int limit) {
    return readJournal.currentPersistenceIds()
        .filter(id -> entityType == null || id.startsWith(entityType + "|"))
        .filter(id -> after == null || id.compareTo(after) > 0)
        .runWith(Sink.seq(), system)
        .thenApplyAsync(ids -> ids.stream().sorted().limit(limit).toList(), system.executionContext());
  }

  public CompletionStage<List<JournalEvent>> events(String persistenceId, long from, long to) {
    return tags(persistenceId).thenCompose(tags -> readJournal.currentEventsByPersistenceId(persistenceId, from, to)
        .map(envelope -> new JournalEvent(envelope.sequenceNr(), Instant.ofEpochMilli(envelope.timestamp()),
            envelope.event().getClass().getSimpleName(), JSON.valueToTree(envelope.event()),
            envelope.offset() instanceof Sequence sequence ? tags.getOrDefault(sequence.value(), List.of()) : List.of()))
        .runWith(Sink.seq(), system));
  }

  /** A conversation's events as a step-by-step timeline. */
  public CompletionStage<List<ConversationTimeline.Step>> timeline(String sessionId) {
    return readJournal.currentEventsByPersistenceId(SessionEntity.TYPE_KEY.name() + "|" + sessionId, 0L, Long.MAX_VALUE)
        .map(envelope -> new ConversationTimeline.Entry(envelope.sequenceNr(), (SessionEvent) envelope.event()))
        .runWith(Sink.seq(), system)
        .thenApplyAsync(ConversationTimeline::of, system.executionContext());
  }

  /** A conversation's turns as its journal recorded them, each with the window its model saw. */
  public CompletionStage<List<RecordedTurn>> recordedTurns(String sessionId) {
    return readJournal.currentEventsByPersistenceId(SessionEntity.TYPE_KEY.name() + "|" + sessionId, 0L, Long.MAX_VALUE)
        .map(envelope -> (SessionEvent) envelope.event())
        .runWith(Sink.seq(), system)
        .thenApplyAsync(events -> RecordedTurns.of(sessionId, events), system.executionContext());
  }

  /** The tags of an entity's events, by the events' global ordering. */
  private CompletionStage<Map<Long, List<String>>> tags(String persistenceId) {
    return database.read(connection -> {
      try (PreparedStatement select = connection.prepareStatement("SELECT t.\"event_id\", t.\"tag\" FROM \"event_tag\" t"
          + " JOIN \"event_journal\" j ON j.\"ordering\" = t.\"event_id\" WHERE j.\"persistence_id\" = ?")) {
        select.setString(1, persistenceId);
        Map<Long, List<String>> tags = new HashMap<>();
        try (ResultSet rows = select.executeQuery()) {
          while (rows.next()) {
            tags.computeIfAbsent(rows.getLong(1), id -> new ArrayList<>()).add(rows.getString(2));
          }
        }
        return tags;
      }
    });
  }
}
