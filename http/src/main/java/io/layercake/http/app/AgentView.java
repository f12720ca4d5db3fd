package io.layercake.http.app;

import java.util.List;

/**
 * What an agent's page shows: its settings as the form edits them, the tools it may enable, its
 * organization's knowledge documents with whether each is in the agent's prompt, its follow-up sequences, and its replays
 * ({@code mayReplay}: the person may start one and read its report, which quotes customers).
 */
public record AgentView(
    String agentId,
    String status,
    String name,
    String greeting,
    String persona,
    String provider,
    String model,
    String autonomy,
    String doubleTexting,
    List<ToolChoice> tools,
    String knowledgeTags,
    String brandColor,
    String position,
    boolean mayEdit,
    boolean mayUpload,
    Knowledge knowledge,
    List<Sequence> sequences,
    boolean mayReplay,
    List<ReplayView.Row> replays) {

  /** A follow-up sequence: its steps as {@code delay | text} lines (the form's own format). */
  public record Sequence(String name, String trigger, List<String> steps, boolean stopOnReply, boolean stopOnBooking) {}

  public record ToolChoice(String name, String description, boolean enabled) {}

  /** The library: every document, how many characters of it the prompt carries, and how many do not fit whole. */
  public record Knowledge(List<Document> documents, int characters, int cap, int overflow, boolean extracting) {}

  /**
   * {@code inclusion}: included (whole), excerpts (over the cap: its passages most relevant to each
   * message), left_out (over the cap, no room even for passages), other_tags, extracting, failed.
   */
  public record Document(String documentId, String title, String tags, String status, Integer extractedPercent, String failureReason,
      Integer characters, String inclusion) {

    public String describe() {
      return switch (inclusion) {
        case "included" -> "In the prompt";
        case "excerpts" -> "In part: too large to fit whole, so each message gets its most relevant passages";
        case "left_out" -> "Left out: the cap is used up by newer documents";
        case "other_tags" -> "Not for this agent (other tags)";
        case "extracting" -> "Extracting" + (extractedPercent == null ? "" : " " + extractedPercent + "%");
        default -> "Failed: " + (failureReason == null ? "no text found" : failureReason);
      };
    }
  }

  /** One agent in the list; {@code setupTest}: a setup's test agent, listed with its interview instead. */
  public record Row(String agentId, String name, String status, String provider, String updated, boolean setupTest) {}
}
