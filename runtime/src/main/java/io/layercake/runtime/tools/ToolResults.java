package io.layercake.runtime.tools;

import java.time.Instant;

/**
 * What the model is told after a tool call, so its next step knows what happened. One wording for
 * the conversation's turn and for a replay, where the call is recorded and answered as if it ran.
 */
public final class ToolResults {
  private ToolResults() {}

  public static String unknown(String toolName) {
    return "There is no tool called " + toolName + " here; answer without it.";
  }

  public static String handedOff() {
    return "A person from the team will take over.";
  }

  public static String leadCaptured() {
    return "The contact details were recorded; the business will get back to the customer.";
  }

  public static String followupRefused() {
    return "Not scheduled: give a delay between 1m and 30d (such as 30m, 2h, 1d) and the text to send.";
  }

  public static String followupScheduled(Instant dueAt) {
    return "A follow-up is scheduled for " + dueAt + " unless the customer writes first.";
  }

  public static String sequenceUnnamed() {
    return "Not started: give the sequence's name.";
  }

  public static String sequenceStarts(String name) {
    return "The sequence " + name + " starts; its messages go out over the coming days unless the customer writes or books first.";
  }
}
