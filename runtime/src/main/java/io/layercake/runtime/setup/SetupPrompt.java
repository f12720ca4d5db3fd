package io.layercake.runtime.setup;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.Prompt;
import io.layercake.runtime.knowledge.SystemKnowledge;
import io.layercake.runtime.llm.ModelRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The setup agent's request: the setup-mode guidance, the interview sequence, every file as it is
 * now (the owner's hand edits included, so the model sees them), the interview so far, and the
 * file tools.
 */
final class SetupPrompt {
  private SetupPrompt() {}

  static ModelRequest request(
      SetupState state, SystemKnowledge knowledge, List<ModelRequest.ToolRound> rounds, Duration timeout) {
    StringBuilder system = new StringBuilder(knowledge.text(SystemKnowledge.Mode.SETUP)).append("\n\n# The interview, in order\n\n");
    int number = 1;
    for (InterviewStep step : InterviewStep.sequence()) {
      system.append(number++).append(". ").append(step.question())
          .append(step.document().map(path -> " → " + path).orElse(" → agent-config.json")).append('\n');
    }
    system.append("\n# The files now\n\n");
    List<KnowledgeDocument> files = new ArrayList<>();
    for (String path : SetupFiles.paths()) {
      var current = state.current(path);
      if (current.isEmpty()) {
        system.append("## ").append(path).append(" (empty)\n\n");
        continue;
      }
      var file = current.get();
      system.append("## ").append(path).append(" (version ").append(file.version()).append(", last written by ")
          .append(file.author() == SetupState.Author.PERSON ? "the owner by hand: keep their wording" : "you")
          .append(")\n\n").append(file.content().strip()).append("\n\n");
      files.add(new KnowledgeDocument(path, state.orgId(), path, List.of(), file.content(), file.at()));
    }
    List<ConversationMessage> window = state.messages().stream()
        .map(message -> new ConversationMessage(message.role() == SetupState.Role.OWNER
            ? ConversationMessage.Role.CUSTOMER : ConversationMessage.Role.AGENT, message.text()))
        .toList();
    Prompt prompt = new Prompt(system.toString().strip(), window, List.of());
    return new ModelRequest(assistant(state), prompt, files, FileTools.SPECS, rounds, timeout);
  }

  /** The setup assistant itself, answering with the model the setup was started with. */
  private static AgentConfig assistant(SetupState state) {
    return new AgentConfig(state.orgId(), "Setup assistant", null, List.of(), List.of(), AgentConfig.Autonomy.AUTONOMOUS,
        List.of(), state.model(), null, null, List.of(Locale.ENGLISH.getLanguage()), null);
  }
}
