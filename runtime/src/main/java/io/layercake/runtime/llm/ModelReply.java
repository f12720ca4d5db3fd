package io.layercake.runtime.llm;

import java.util.List;
import java.util.Map;

/** What a model answered: text, the tools it wants called, and what it cost in tokens. */
public record ModelReply(String text, List<ToolCallRequest> toolCalls, TokenUsage usage, String provider, String model) {
  public ModelReply {
    toolCalls = List.copyOf(toolCalls);
  }

  /** A tool the model asks to run, with its arguments parsed (never compared as text). */
  public record ToolCallRequest(String id, String name, Map<String, Object> arguments) {}

  public record TokenUsage(long inputTokens, long outputTokens) {
    public static final TokenUsage NONE = new TokenUsage(0, 0);
  }
}
