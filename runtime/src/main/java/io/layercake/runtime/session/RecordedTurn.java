package io.layercake.runtime.session;

import io.layercake.runtime.knowledge.ConversationMessage;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One turn of a recorded conversation as the agent lived it: the customer's messages it answered,
 * the window the model saw when the turn started, and what came of it (the reply, the tool calls,
 * whether it handed the conversation to people, what it cost).
 *
 * @param reply the reply sent (or drafted for approval); null when the turn ended without one
 */
public record RecordedTurn(
    String sessionId, int turn, String channel, List<String> messageIds, String customerText,
    List<ConversationMessage> window, Outcome outcome, String reply, List<ToolCall> tools, boolean handedOff, long credits,
    Instant at) {
  public RecordedTurn {
    messageIds = List.copyOf(messageIds);
    window = List.copyOf(window);
    tools = List.copyOf(tools);
  }

  /** How the turn ended. */
  public enum Outcome {
    REPLIED, DRAFTED, FAILED, NO_CREDITS, CANCELLED, UNFINISHED
  }

  /** A tool the model called, with its arguments. */
  public record ToolCall(String name, Map<String, String> arguments) {
    public ToolCall {
      arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
    }
  }
}
