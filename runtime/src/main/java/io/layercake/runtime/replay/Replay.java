package io.layercake.runtime.replay;

import io.layercake.runtime.agent.AgentConfig;
import java.time.Instant;
import java.util.Locale;
import java.util.Optional;

/**
 * A replay: an agent's recorded conversations re-run against a candidate configuration, in the
 * background, to see what the change would change before it is made. Nothing it does reaches a
 * customer, the balance or a tool: replies are compared, tool calls recorded, credits counted
 * against the replay's own {@code budget}.
 *
 * @param selection how the conversations were chosen, in words (ids, or the filter)
 * @param spent the credits the candidate's answers would have cost so far
 */
public record Replay(
    String replayId, String orgId, String agentId, String createdBy, Instant createdAt, Status status, AgentConfig candidate,
    String selection, long budget, long spent, Instant finishedAt, Progress progress, Summary summary) {

  public enum Status {
    QUEUED, RUNNING, DONE, CANCELLED;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Status> named(String name) {
      for (Status status : values()) {
        if (status.wireName().equals(name)) {
          return Optional.of(status);
        }
      }
      return Optional.empty();
    }

    public boolean finished() {
      return this == DONE || this == CANCELLED;
    }
  }

  /** The replay's turns by where they stand; {@code done + skipped + failed} of {@code total} are through. */
  public record Progress(int total, int done, int skipped, int failed) {
    public int pending() {
      return total - done - skipped - failed;
    }

    public int percent() {
      return total == 0 ? 100 : (int) ((long) (total - pending()) * 100 / total);
    }
  }

  /**
   * What the candidate changed over the turns it answered: answers that differ, hand-offs that
   * appear or disappear, turns whose tool calls differ, the credits recorded and the candidate's,
   * and how alike the answers are on average (1 = the same words).
   */
  public record Summary(
      int changedAnswers, int sameAnswers, int newHandoffs, int lostHandoffs, int toolChanges, long recordedCredits,
      long candidateCredits, double averageSimilarity) {
    public long creditDifference() {
      return candidateCredits - recordedCredits;
    }
  }
}
