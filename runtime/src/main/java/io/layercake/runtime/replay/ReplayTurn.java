package io.layercake.runtime.replay;

import io.layercake.runtime.session.RecordedTurn;
import java.util.List;
import java.util.Locale;

/**
 * One recorded turn of a replay, in the replay's order ({@code seq}): what was recorded, and once
 * run what the candidate did and how the two differ.
 *
 * @param candidate null until the turn ran (and when it was skipped or failed)
 * @param comparison null until the turn ran
 * @param note why a turn was skipped or failed
 */
public record ReplayTurn(int seq, RecordedTurn recorded, Status status, CandidateAnswer candidate, Comparison comparison, String note) {

  public enum Status {
    PENDING, DONE, SKIPPED, FAILED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** What the candidate answered: its reply, the tools it called (recorded, not run), whether it handed off, what it would cost. */
  public record CandidateAnswer(String reply, List<RecordedTurn.ToolCall> tools, boolean handedOff, long credits) {
    public CandidateAnswer {
      tools = List.copyOf(tools);
    }
  }

  /**
   * The difference between the recorded turn and the candidate's: how alike the replies are (0 to 1),
   * whether the answer changed, tool calls the candidate added or left out, and a hand-off that
   * appeared or disappeared (null: the same).
   */
  public record Comparison(
      double similarity, boolean answerChanged, List<RecordedTurn.ToolCall> toolsAdded, List<RecordedTurn.ToolCall> toolsRemoved,
      HandoffChange handoff) {
    public Comparison {
      toolsAdded = List.copyOf(toolsAdded);
      toolsRemoved = List.copyOf(toolsRemoved);
    }

    public boolean toolsChanged() {
      return !toolsAdded.isEmpty() || !toolsRemoved.isEmpty();
    }
  }

  public enum HandoffChange {
    APPEARED, DISAPPEARED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }
}
