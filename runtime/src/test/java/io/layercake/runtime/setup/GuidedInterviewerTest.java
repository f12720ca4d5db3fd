package io.layercake.runtime.setup;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.Prompt;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The built-in interviewer, driven the way the setup entity drives it: write files, then ask. */
class GuidedInterviewerTest {
  private final GuidedInterviewer interviewer = new GuidedInterviewer();
  private final List<ConversationMessage> transcript = new ArrayList<>();
  private final Map<String, String> files = new LinkedHashMap<>();

  @Test
  void asksTheSequenceOneQuestionAtATimeAndWritesEachAnswersFile() {
    transcript.add(new ConversationMessage(ConversationMessage.Role.AGENT, "Hi! " + InterviewStep.NAME.question()));

    String reply = say("Bakker Jansen");
    assertThat(reply).endsWith(InterviewStep.BUSINESS.question());
    assertThat(files).containsOnlyKeys(SetupFiles.CONFIG);
    say("A bakery in Delft.");
    say("Sourdough loaf: €4.50");
    reply = say("Monday to Saturday 7:00 to 18:00.");

    assertThat(reply).endsWith(InterviewStep.BOOKING.question());
    assertThat(files.get("kb/hours-and-area.md")).contains("Monday to Saturday 7:00 to 18:00.");
    assertThat(files.get("kb/services-and-prices.md")).contains("Sourdough loaf: €4.50");
  }

  @Test
  void aCorrectionAmendsTheFileItIsAboutAndTheInterviewGoesOn() {
    transcript.add(new ConversationMessage(ConversationMessage.Role.AGENT, "Hi! " + InterviewStep.NAME.question()));
    say("Bakker Jansen");
    say("A bakery in Delft.");
    say("Sourdough loaf: €4.50");
    say("Monday to Saturday 7:00 to 18:00.");
    files.put("kb/hours-and-area.md", files.get("kb/hours-and-area.md") + "\n\nClosed on public holidays (hand edit).");

    String reply = say("Actually we close at 17:00 on Saturdays");

    assertThat(reply).contains("corrected kb/hours-and-area.md").endsWith(InterviewStep.BOOKING.question());
    assertThat(files.get("kb/hours-and-area.md")).contains("7:00 to 18:00").contains("(hand edit)").contains("close at 17:00 on Saturdays");
    assertThat(GuidedInterviewer.isCorrection("Sorry, the price is €5")).isTrue();
    assertThat(GuidedInterviewer.isCorrection("Sourdough")).isFalse();
  }

  /** One turn: the interviewer's file writes are applied, then it answers with the results. */
  private String say(String text) {
    transcript.add(new ConversationMessage(ConversationMessage.Role.CUSTOMER, text));
    List<ModelRequest.ToolRound> rounds = new ArrayList<>();
    for (int round = 0; round < 3; round++) {
      ModelReply reply = interviewer.next(request(rounds));
      if (reply.toolCalls().isEmpty()) {
        transcript.add(new ConversationMessage(ConversationMessage.Role.AGENT, reply.text()));
        return reply.text();
      }
      for (ModelReply.ToolCallRequest call : reply.toolCalls()) {
        assertThat(call.name()).isEqualTo(FileTools.WRITE);
        files.put((String) call.arguments().get("path"), (String) call.arguments().get("content"));
        rounds.add(new ModelRequest.ToolRound(call, "Saved " + call.arguments().get("path")));
      }
    }
    throw new AssertionError("the interviewer kept writing");
  }

  private ModelRequest request(List<ModelRequest.ToolRound> rounds) {
    AgentConfig assistant = new AgentConfig("org-1", "Setup assistant", null, List.of(), List.of(), AgentConfig.Autonomy.AUTONOMOUS,
        List.of(), AgentConfig.ModelChoice.LOCAL, null, null, List.of(), null);
    List<KnowledgeDocument> documents = files.entrySet().stream()
        .map(file -> new KnowledgeDocument(file.getKey(), "org-1", file.getKey(), List.of(), file.getValue(), null)).toList();
    return new ModelRequest(assistant, new Prompt("setup", transcript, List.of()), documents, FileTools.SPECS, rounds,
        Duration.ofSeconds(1));
  }
}
