package io.layercake.http.app;

import java.util.List;

/**
 * A replay's page: where it stands, what the candidate changes of the agent, the summary, and turn
 * by turn the recorded reply next to the candidate's with what differs.
 */
public record ReplayView(
    String agentId, String agentName, String replayId, String status, boolean running, int percent, int done, int skipped, int failed,
    int total, String selection, String createdBy, String started, long budget, long spent, int changedAnswers, int sameAnswers,
    int newHandoffs, int lostHandoffs, int toolChanges, long recordedCredits, long candidateCredits, long creditDifference,
    int averageSimilarityPercent, String candidateModel, String candidatePersona, List<Turn> turns) {

  /**
   * One turn: {@code differences} in words (a hand-off that appeared or disappeared, tools added or
   * left out), {@code similarityPercent} null until it ran.
   */
  public record Turn(int seq, String sessionId, String customer, String status, String recordedReply, String candidateReply,
      Integer similarityPercent, boolean changed, List<String> differences, String note) {}

  /** One replay in the agent's list. */
  public record Row(String replayId, String started, String status, int percent, int done, int total, int changedAnswers,
      int newHandoffs, int lostHandoffs, long creditDifference, String selection) {}
}
