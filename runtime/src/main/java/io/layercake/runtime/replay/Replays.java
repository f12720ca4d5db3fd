package io.layercake.runtime.replay;

import io.layercake.runtime.session.RecordedTurn;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** Where replays and their turns are kept, so a replay goes on where it was after a restart. */
public interface Replays {
  /** Stores a new replay (queued) with its recorded turns, in order. */
  CompletionStage<Replay> create(Replay replay, List<RecordedTurn> turns);

  CompletionStage<Optional<Replay>> replay(String replayId);

  /** An agent's replays, newest first. */
  CompletionStage<List<Replay>> ofAgent(String agentId, int limit);

  /** A replay's turns after {@code afterSeq}, in order, at most {@code limit}. */
  CompletionStage<List<ReplayTurn>> turns(String replayId, int afterSeq, int limit);

  /**
   * The next pending turns of the replays with turns left, at most {@code turnsPerReplay} of each,
   * oldest replays first, at most {@code replays} replays; each replay's in order.
   */
  CompletionStage<List<Work>> due(int replays, int turnsPerReplay);

  /**
   * Records a pending turn's outcome (done, skipped or failed) and the credits it would have cost;
   * a turn already through is left as it is. The replay is done once no turn is pending.
   */
  CompletionStage<Void> record(String replayId, int seq, ReplayTurn outcome, long credits, Instant at);

  /** Stops a replay: its pending turns are skipped. False when it had finished (or does not exist). */
  CompletionStage<Boolean> cancel(String replayId, Instant at);

  /** A replay's next turn to run. */
  record Work(Replay replay, int seq, RecordedTurn recorded) {}
}
