package io.layercake.runtime.knowledge;

import java.util.List;

/**
 * What a model is asked: the system text, the conversation window, which knowledge documents made
 * it into the system text (recorded on the turn), and how each document matching the agent was
 * used (whole, in excerpts, or left out, and why: the preview shows it).
 */
public record Prompt(String system, List<ConversationMessage> messages, List<String> includedDocumentIds, List<DocumentUse> knowledge) {
  public Prompt {
    messages = List.copyOf(messages);
    includedDocumentIds = List.copyOf(includedDocumentIds);
    knowledge = List.copyOf(knowledge);
  }

  public Prompt(String system, List<ConversationMessage> messages, List<String> includedDocumentIds) {
    this(system, messages, includedDocumentIds, List.of());
  }

  /** {@code inPrompt}: whole, excerpts or left_out. */
  public record DocumentUse(String documentId, String title, String inPrompt, String why) {
    static List<DocumentUse> of(KnowledgeSelection selection) {
      List<DocumentUse> uses = new java.util.ArrayList<>();
      selection.included().forEach(document -> uses.add(new DocumentUse(document.documentId(), document.title(), "whole",
          "it fits in the " + selection.cap() + " characters of knowledge, newest first")));
      selection.excerpted().forEach(document -> uses.add(new DocumentUse(document.documentId(), document.title(), "excerpts",
          "too large to fit whole next to newer documents: its passages most relevant to the message fill the space left")));
      selection.leftOut().forEach(document -> uses.add(new DocumentUse(document.documentId(), document.title(), "left_out",
          "too large to fit whole, and no space is left for its passages")));
      return uses;
    }
  }
}
