package io.layercake.runtime.llm;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.Prompt;
import java.time.Duration;
import java.util.List;

/**
 * One call to a model: the assembled prompt, plus the agent and the documents it was built from
 * (the offline responder answers from those directly), the tools it may call, the tool calls of
 * this turn so far with their results, and how long the call may take. {@code stream}: where the
 * reply's text goes while it is written ({@link ReplyStream#NONE}: nowhere, the reply comes whole).
 */
public record ModelRequest(
    AgentConfig agent, Prompt prompt, List<KnowledgeDocument> knowledge, List<ToolSpec> tools, List<ToolRound> toolRounds,
    Duration timeout, ReplyStream stream) {
  public ModelRequest {
    knowledge = List.copyOf(knowledge);
    tools = List.copyOf(tools);
    toolRounds = List.copyOf(toolRounds);
    stream = stream == null ? ReplyStream.NONE : stream;
  }

  public ModelRequest(
      AgentConfig agent, Prompt prompt, List<KnowledgeDocument> knowledge, List<ToolSpec> tools, List<ToolRound> toolRounds,
      Duration timeout) {
    this(agent, prompt, knowledge, tools, toolRounds, timeout, ReplyStream.NONE);
  }

  /** The same call, its text streamed to {@code to}. */
  public ModelRequest streamingTo(ReplyStream to) {
    return new ModelRequest(agent, prompt, knowledge, tools, toolRounds, timeout, to);
  }

  /** A request offering the tools the agent enabled. */
  public ModelRequest(
      AgentConfig agent, Prompt prompt, List<KnowledgeDocument> knowledge, List<ToolRound> toolRounds, Duration timeout) {
    this(agent, prompt, knowledge, ToolSpec.enabled(agent.tools()), toolRounds, timeout);
  }

  public ModelRequest(AgentConfig agent, Prompt prompt, List<KnowledgeDocument> knowledge, Duration timeout) {
    this(agent, prompt, knowledge, List.of(), timeout);
  }

  /** A tool the model asked for in this turn, and what it returned. */
  public record ToolRound(ModelReply.ToolCallRequest call, String result) {}
}
