package io.layercake.runtime.knowledge;

/** A message of the conversation window the model sees. */
public record ConversationMessage(Role role, String text) {
  /** The customer's latest message in a window; empty when they wrote nothing yet. */
  public static String lastFromCustomer(java.util.List<ConversationMessage> window) {
    for (int i = window.size() - 1; i >= 0; i--) {
      if (window.get(i).role() == Role.CUSTOMER) {
        return window.get(i).text();
      }
    }
    return "";
  }

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
