package io.layercake.runtime.knowledge;

/** A message of the conversation window the model sees. */
public record ConversationMessage(Role role, String text) {
  public enum Role {
    /** The end user. */
    CUSTOMER,
    /** The agent's earlier replies. */
    AGENT,
    /** A human from the business who wrote in the conversation. */
    HUMAN,
    /** A note from the platform (for example, "a human stretch ended here"). */
    NOTE
  }
}
