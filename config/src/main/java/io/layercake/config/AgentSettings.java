package io.layercake.config;

/** How much knowledge an agent's prompt carries, and how large an uploaded document may be. */
public record AgentSettings(int knowledgeCharacterCap, long maxDocumentBytes) {}
