package io.layercake.persistence.replays;

import static io.layercake.persistence.jdbc.Statements.first;
import static io.layercake.persistence.jdbc.Statements.instant;
import static io.layercake.persistence.jdbc.Statements.query;
import static io.layercake.persistence.jdbc.Statements.update;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.layercake.persistence.jdbc.ApplicationDatabase;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.replay.Replay;
import io.layercake.runtime.replay.ReplayTurn;
import io.layercake.runtime.replay.Replays;
import io.layercake.runtime.session.RecordedTurn;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Replays in {@code replays}, their turns in {@code replay_turns}: the recorded turn as JSON, and once
 * run the candidate's answer and the comparison as JSON next to the columns the summary adds up.
 * Progress and summary are counted from the turns when a replay is read, so they never disagree.
 */
public final class JdbcReplays implements Replays {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .registerModule(new Jdk8Module())
      .registerModule(new JavaTimeModule())
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final String PENDING = ReplayTurn.Status.PENDING.wireName();
  private static final String UNFINISHED = "('" + Replay.Status.QUEUED.wireName() + "', '" + Replay.Status.RUNNING.wireName() + "')";
  private static final String COLUMNS = "r.replay_id, r.org_id, r.agent_id, r.created_by, r.created_at, r.status, r.candidate,"
      + " r.selection, r.budget, r.spent, r.finished_at";
  /** Replays with their turns counted; {@code %s}: which replays, a condition on {@code replays r} (its turns alone are read). */
  private static final String COUNTED = "SELECT " + COLUMNS + ", c.total, c.done, c.skipped, c.failed, c.changed, c.same,"
      + " c.appeared, c.disappeared, c.tools, c.recorded_credits, c.candidate_credits, c.similarity FROM replays r JOIN (SELECT"
      + " t.replay_id, COUNT(*) AS total,"
      + " SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END) AS done,"
      + " SUM(CASE WHEN t.status = 'skipped' THEN 1 ELSE 0 END) AS skipped,"
      + " SUM(CASE WHEN t.status = 'failed' THEN 1 ELSE 0 END) AS failed,"
      + " SUM(CASE WHEN t.status = 'done' AND t.answer_changed THEN 1 ELSE 0 END) AS changed,"
      + " SUM(CASE WHEN t.status = 'done' AND NOT t.answer_changed THEN 1 ELSE 0 END) AS same,"
      + " SUM(CASE WHEN t.handoff_change = 'appeared' THEN 1 ELSE 0 END) AS appeared,"
      + " SUM(CASE WHEN t.handoff_change = 'disappeared' THEN 1 ELSE 0 END) AS disappeared,"
      + " SUM(CASE WHEN t.tools_changed THEN 1 ELSE 0 END) AS tools,"
      + " SUM(CASE WHEN t.status = 'done' THEN t.recorded_credits ELSE 0 END) AS recorded_credits,"
      + " SUM(t.candidate_credits) AS candidate_credits,"
      + " AVG(CASE WHEN t.status = 'done' THEN t.similarity END) AS similarity"
      + " FROM replay_turns t WHERE t.replay_id IN (SELECT r.replay_id FROM replays r WHERE %s) GROUP BY t.replay_id) c"
      + " ON c.replay_id = r.replay_id";

  private final ApplicationDatabase database;

  public JdbcReplays(ApplicationDatabase database) {
    this.database = database;
  }

  /** What a run turn's {@code candidate} column holds. */
  private record Outcome(ReplayTurn.CandidateAnswer answer, ReplayTurn.Comparison comparison) {}

  @Override
  public CompletionStage<Replay> create(Replay replay, List<RecordedTurn> turns) {
    return database.write(connection -> {
      update(connection, "INSERT INTO replays (replay_id, org_id, agent_id, created_by, created_at, status, candidate, selection, budget)"
              + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", replay.replayId(), replay.orgId(), replay.agentId(), replay.createdBy(),
          replay.createdAt(), replay.status().wireName(), json(replay.candidate()), replay.selection(), replay.budget());
      int seq = 0;
      for (RecordedTurn turn : turns) {
        update(connection, "INSERT INTO replay_turns (replay_id, seq, session_id, turn, recorded, status, recorded_credits)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?)", replay.replayId(), ++seq, turn.sessionId(), turn.turn(), json(turn), PENDING, turn.credits());
      }
      return replay(connection, replay.replayId()).orElseThrow();
    });
  }

  @Override
  public CompletionStage<Optional<Replay>> replay(String replayId) {
    return database.read(connection -> replay(connection, replayId));
  }

  @Override
  public CompletionStage<List<Replay>> ofAgent(String agentId, int limit) {
    return database.read(connection -> query(connection, COUNTED.formatted("r.agent_id = ?")
        + " ORDER BY r.created_at DESC, r.replay_id LIMIT ?", JdbcReplays::replay, agentId, limit));
  }

  @Override
  public CompletionStage<List<ReplayTurn>> turns(String replayId, int afterSeq, int limit) {
    return database.read(connection -> query(connection, "SELECT seq, recorded, status, candidate, note FROM replay_turns"
        + " WHERE replay_id = ? AND seq > ? ORDER BY seq LIMIT ?", JdbcReplays::turn, replayId, afterSeq, limit));
  }

  @Override
  public CompletionStage<List<Work>> due(int replays, int turnsPerReplay) {
    return database.read(connection -> {
      // what the runner needs of a replay: its candidate, budget and spending; its turns are not counted here
      List<Replay> unfinished = query(connection, "SELECT " + COLUMNS + " FROM replays r WHERE r.status IN " + UNFINISHED
          + " ORDER BY r.created_at, r.replay_id LIMIT ?", JdbcReplays::uncounted, replays);
      List<Work> due = new java.util.ArrayList<>();
      for (Replay replay : unfinished) {
        due.addAll(query(connection, "SELECT seq, recorded FROM replay_turns WHERE replay_id = ? AND status = ? ORDER BY seq LIMIT ?",
            rows -> new Work(replay, rows.getInt("seq"), read(rows.getString("recorded"), RecordedTurn.class)),
            replay.replayId(), PENDING, turnsPerReplay));
      }
      return due;
    });
  }

  @Override
  public CompletionStage<Void> record(String replayId, int seq, ReplayTurn outcome, long credits, Instant at) {
    ReplayTurn.Comparison comparison = outcome.comparison();
    String candidate = outcome.candidate() == null ? null : json(new Outcome(outcome.candidate(), comparison));
    return database.write(connection -> {
      int recorded = update(connection, "UPDATE replay_turns SET status = ?, candidate = ?, similarity = ?, answer_changed = ?,"
              + " tools_changed = ?, handoff_change = ?, candidate_credits = ?, note = ? WHERE replay_id = ? AND seq = ? AND status = ?",
          outcome.status().wireName(), candidate, comparison == null ? null : comparison.similarity(),
          comparison != null && comparison.answerChanged(), comparison != null && comparison.toolsChanged(),
          comparison == null || comparison.handoff() == null ? null : comparison.handoff().wireName(), credits,
          outcome.note() == null ? null : shorten(outcome.note()), replayId, seq, PENDING);
      if (recorded == 1) {
        update(connection, "UPDATE replays SET spent = spent + ?, status = ? WHERE replay_id = ? AND status IN " + UNFINISHED,
            credits, Replay.Status.RUNNING.wireName(), replayId);
        update(connection, "UPDATE replays SET status = ?, finished_at = ? WHERE replay_id = ? AND status IN " + UNFINISHED
                + " AND NOT EXISTS (SELECT 1 FROM replay_turns WHERE replay_id = ? AND status = ?)",
            Replay.Status.DONE.wireName(), at, replayId, replayId, PENDING);
      }
      return null;
    });
  }

  @Override
  public CompletionStage<Boolean> cancel(String replayId, Instant at) {
    return database.write(connection -> {
      if (update(connection, "UPDATE replays SET status = ?, finished_at = ? WHERE replay_id = ? AND status IN " + UNFINISHED,
          Replay.Status.CANCELLED.wireName(), at, replayId) == 0) {
        return false;
      }
      update(connection, "UPDATE replay_turns SET status = ?, note = ? WHERE replay_id = ? AND status = ?",
          ReplayTurn.Status.SKIPPED.wireName(), "the replay was cancelled", replayId, PENDING);
      return true;
    });
  }

  private static Optional<Replay> replay(Connection connection, String replayId) throws SQLException {
    return first(connection, COUNTED.formatted("r.replay_id = ?"), JdbcReplays::replay, replayId);
  }

  private static Replay replay(ResultSet rows) throws SQLException {
    Object similarity = rows.getObject("similarity");
    return replay(rows, new Replay.Progress(rows.getInt("total"), rows.getInt("done"), rows.getInt("skipped"), rows.getInt("failed")),
        new Replay.Summary(rows.getInt("changed"), rows.getInt("same"), rows.getInt("appeared"), rows.getInt("disappeared"),
            rows.getInt("tools"), rows.getLong("recorded_credits"), rows.getLong("candidate_credits"),
            similarity == null ? 1.0 : Math.round(((Number) similarity).doubleValue() * 1000) / 1000.0));
  }

  private static Replay uncounted(ResultSet rows) throws SQLException {
    return replay(rows, new Replay.Progress(0, 0, 0, 0), new Replay.Summary(0, 0, 0, 0, 0, 0, 0, 1.0));
  }

  private static Replay replay(ResultSet rows, Replay.Progress progress, Replay.Summary summary) throws SQLException {
    return new Replay(rows.getString("replay_id"), rows.getString("org_id"), rows.getString("agent_id"), rows.getString("created_by"),
        instant(rows, "created_at"), Replay.Status.named(rows.getString("status")).orElseThrow(),
        read(rows.getString("candidate"), AgentConfig.class), rows.getString("selection"), rows.getLong("budget"),
        rows.getLong("spent"), instant(rows, "finished_at"), progress, summary);
  }

  private static ReplayTurn turn(ResultSet rows) throws SQLException {
    String candidate = rows.getString("candidate");
    Outcome outcome = candidate == null ? null : read(candidate, Outcome.class);
    return new ReplayTurn(rows.getInt("seq"), read(rows.getString("recorded"), RecordedTurn.class),
        ReplayTurn.Status.valueOf(rows.getString("status").toUpperCase(Locale.ROOT)),
        outcome == null ? null : outcome.answer(), outcome == null ? null : outcome.comparison(), rows.getString("note"));
  }

  private static String shorten(String note) {
    return note.length() > 1_000 ? note.substring(0, 1_000) : note;
  }

  private static String json(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("not JSON: " + value.getClass().getSimpleName(), e);
    }
  }

  private static <T> T read(String json, Class<T> type) throws SQLException {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new SQLException("an unreadable " + type.getSimpleName() + " in a replay", e);
    }
  }
}
