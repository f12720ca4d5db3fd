package io.layercake.http.app;

import java.util.List;

/**
 * What an agent's page shows: its settings as the form edits them, the tools it may enable, and its
 * organization's knowledge documents with whether each is in the agent's prompt.
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
    Knowledge knowledge) {

  public record ToolChoice(String name, String description, boolean enabled) {}

  /** The library: every document, how many characters of it the prompt carries, and what the cap leaves out. */
  public record Knowledge(List<Document> documents, int characters, int cap, int leftOut, boolean extracting) {}

  /** {@code inclusion}: included, left_out (over the cap), other_tags, extracting, failed. */
  public record Document(String documentId, String title, String tags, String status, Integer extractedPercent, String failureReason,
      Integer characters, String inclusion) {

    public String describe() {
      return switch (inclusion) {
        case "included" -> "In the prompt";
        case "left_out" -> "Left out: over the character cap";
        case "other_tags" -> "Not for this agent (other tags)";
        case "extracting" -> "Extracting" + (extractedPercent == null ? "" : " " + extractedPercent + "%");
        default -> "Failed: " + (failureReason == null ? "no text found" : failureReason);
      };
    }
  }

  /** One agent in the list. */
  public record Row(String agentId, String name, String status, String provider, String updated) {}
}
