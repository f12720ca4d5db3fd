package io.layercake.runtime.session;

public enum OutboundKind {
  /** The agent's answer to the customer. */
  AGENT_REPLY,
  /** A person from the business wrote it. */
  HUMAN,
  /** "We'll get back to you" while an approval is pending. */
  HOLDING,
  /** The agent's unavailable message (no credits). */
  UNAVAILABLE,
  /** A polite message when the model or a tool failed. */
  APOLOGY,
  /** A scheduled follow-up. */
  FOLLOWUP,
  /** The answer to an SMS HELP keyword (free). */
  HELP
}
