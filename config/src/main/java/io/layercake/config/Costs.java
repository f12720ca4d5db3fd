package io.layercake.config;

import java.util.Map;

/** What each billable action costs, in credits. */
public record Costs(long aiReply, long defaultToolCall, Map<String, Long> toolCalls, long smsSegment) {
  public Costs {
    toolCalls = Map.copyOf(toolCalls);
  }

  public long toolCall(String toolName) {
    return toolCalls.getOrDefault(toolName, defaultToolCall);
  }
}
