package io.layercake.runtime.knowledge;

import java.util.List;

/**
 * What a model is asked: the system text, the conversation window, and which knowledge documents
 * made it into the system text (recorded on the turn).
 */
public record Prompt(String system, List<ConversationMessage> messages, List<String> includedDocumentIds) {
  public Prompt {
    messages = List.copyOf(messages);
    includedDocumentIds = List.copyOf(includedDocumentIds);
  }
}
