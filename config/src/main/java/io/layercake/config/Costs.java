package io.layercake.config;

import java.util.Map;

/**
 * What each billable action costs, in credits. {@code outreachMessage}: each message the platform
 * starts for a client on its own (a follow-up sequence's step, a review request).
 */
public record Costs(long aiReply, long defaultToolCall, Map<String, Long> toolCalls, long smsSegment, long outreachMessage) {
  public Costs {
    toolCalls = Map.copyOf(toolCalls);
  }

  public long toolCall(String toolName) {
    return toolCalls.getOrDefault(toolName, defaultToolCall);
  }
}
