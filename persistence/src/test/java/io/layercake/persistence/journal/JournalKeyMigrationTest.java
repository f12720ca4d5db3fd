package io.layercake.persistence.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.OlderSchemas;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.persistence.jdbc.query.javadsl.JdbcReadJournal;
import org.apache.pekko.persistence.query.EventEnvelope;
import org.apache.pekko.persistence.query.Offset;
import org.apache.pekko.persistence.query.PersistenceQuery;
import org.apache.pekko.persistence.query.Sequence;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * V37 rebuilds H2's journal tables with fewer B-trees per event (PostgreSQL's stay as they are): a
 * journal written before it reads the same after it, the next event's ordering follows the last one,
 * a sequence number is still written once per entity, and H2 keeps no index the journal does not use.
 */
@ExtendWith(FreshDatabases.Extension.class)
class JournalKeyMigrationTest {
  private static final String INSERT_EVENT = "INSERT INTO \"event_journal\" (\"persistence_id\", \"sequence_number\","
      + " \"writer\", \"write_timestamp\", \"adapter_manifest\", \"event_payload\", \"event_ser_id\", \"event_ser_manifest\")"
      + " VALUES (?, ?, 'w', 0, '', ?, 4, '')";

  @ParameterizedTest
  @EnumSource(TestDatabases.class)
  void aJournalWrittenBeforeV37ReadsTheSameAndGoesOnAfterIt(TestDatabases kind, FreshDatabases databases,
      @TempDir Path dir) {
    DatabaseSettings database = databases.create(kind, dir);
    OlderSchemas.migrateUpTo(database, "36");
    writeEvent(database, "Conv|a", 1, "a1", "tag-1");
    writeEvent(database, "Conv|b", 1, "b1", "tag-2");
    writeEvent(database, "Conv|a", 2, "a2", "tag-1");
    List<Long> orderingsBefore = Sql.longs(database, "SELECT \"ordering\" FROM \"event_journal\" ORDER BY \"ordering\"");

    LayercakeSettings settings = TestNodes.settings(dir, database, 100);
    ActorTestKit testKit = ActorTestKit.create(TestNodes.migratedPekkoConfig(settings));
    try {
      JdbcReadJournal journal = PersistenceQuery.get(testKit.system().classicSystem())
          .getReadJournalFor(JdbcReadJournal.class, JdbcReadJournal.Identifier());
      assertThat(payloads(journal.currentEventsByPersistenceId("Conv|a", 0, Long.MAX_VALUE)
          .runWith(Sink.seq(), testKit.system()).toCompletableFuture().join()))
          .containsExactly("a1", "a2");
      List<EventEnvelope> tagged = journal.currentEventsByTag("tag-1", Offset.noOffset())
          .runWith(Sink.seq(), testKit.system()).toCompletableFuture().join();
      assertThat(payloads(tagged)).containsExactly("a1", "a2");
      assertThat(tagged).extracting(envelope -> ((Sequence) envelope.offset()).value())
          .containsExactly(orderingsBefore.get(0), orderingsBefore.get(2));
    } finally {
      testKit.shutdownTestKit();
    }

    writeEvent(database, "Conv|c", 1, "c1", "tag-1");
    assertThat(Sql.longs(database, "SELECT \"ordering\" FROM \"event_journal\" WHERE \"persistence_id\" = 'Conv|c'"))
        .as("the identity goes on after the copied rows").containsExactly(orderingsBefore.get(2) + 1);
    assertThatThrownBy(() -> writeEvent(database, "Conv|a", 2, "again", "tag-1"))
        .as("one event per entity and sequence number").isInstanceOf(IllegalStateException.class);

    if (kind == TestDatabases.H2) {
      // each index is a B-tree whose changed pages every commit writes: the rows keyed by ordering,
      // (persistence_id, sequence_number); event_tag's rows and its (tag, event_id) key
      assertThat(Sql.strings(database, "SELECT CONCAT(TABLE_NAME, ' ', INDEX_TYPE_NAME, ' ', (SELECT LISTAGG(c.COLUMN_NAME, ',')"
              + " WITHIN GROUP (ORDER BY c.ORDINAL_POSITION) FROM INFORMATION_SCHEMA.INDEX_COLUMNS c"
              + " WHERE c.INDEX_NAME = i.INDEX_NAME AND c.TABLE_NAME = i.TABLE_NAME))"
              + " FROM INFORMATION_SCHEMA.INDEXES i WHERE TABLE_NAME IN ('event_journal', 'event_tag')"))
          .containsExactlyInAnyOrder(
              "event_journal PRIMARY KEY ordering",
              "event_journal UNIQUE INDEX persistence_id,sequence_number",
              "event_tag PRIMARY KEY tag,event_id");
    }
  }

  private static void writeEvent(DatabaseSettings database, String persistenceId, long sequenceNr, String payload,
      String tag) {
    Sql.update(database, INSERT_EVENT, persistenceId, sequenceNr, payload.getBytes(StandardCharsets.UTF_8));
    Sql.update(database, "INSERT INTO \"event_tag\" (\"event_id\", \"tag\") SELECT \"ordering\", ? FROM \"event_journal\""
        + " WHERE \"persistence_id\" = ? AND \"sequence_number\" = ?", tag, persistenceId, sequenceNr);
  }

  private static List<String> payloads(List<EventEnvelope> envelopes) {
    return envelopes.stream().map(envelope -> new String((byte[]) envelope.event(), StandardCharsets.UTF_8)).toList();
  }
}
