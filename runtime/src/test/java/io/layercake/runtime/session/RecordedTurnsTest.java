package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.knowledge.ConversationMessage.Role;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.session.SessionEvent.*;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A journal read back as the turns the agent answered, each with the window its model saw. */
class RecordedTurnsTest {
  private static final Instant T = Instant.parse("2026-12-06T09:00:00Z");

  @Test
  void eachTurnHasItsWindowItsReplyItsToolsAndWhatItCost() {
    List<SessionEvent> journal = List.of(
        new ConversationStarted(new Profile("s-1", "org-1", "agent-1", "sms", "+31611111111"), T),
        new MessageReceived("m-1", "When are you open?", true, T.plusSeconds(1)),
        new AgentReplied(1, "out-1", "Monday to Friday.", 2, List.of(new CostLine("ai_reply", 1)), List.of(), "local", "local", 0, 0,
            T.plusSeconds(2), new TurnStarted(1, "r-1", List.of("m-1"), 3, T.plusSeconds(1)),
            new TurnSettled(1, List.of("m-1"), 2, T.plusSeconds(2))),
        new MessageReceived("m-2", "Can someone call me?", true, T.plusSeconds(10)),
        new TurnStarted(2, "r-2", List.of("m-2"), 3, T.plusSeconds(10)),
        new MessageReceived("m-3", "My number is 0612", true, T.plusSeconds(11)),
        new TurnRestarted(2, List.of("m-3"), false, T.plusSeconds(11)),
        new ToolRan(2, "c-1", "handoff_to_human", Map.of("reason", "callback"), "A person from the team will take over.", true, 1,
            T.plusSeconds(12)),
        new AgentReplied(2, "out-2", SessionEntity.HANDOFF_REPLY, 3, List.of(), List.of(), "local", "local", 0, 0, T.plusSeconds(12)),
        new HandedOff("team", "callback", T.plusSeconds(900), T.plusSeconds(12)),
        new TurnSettled(2, List.of("m-2", "m-3"), 3, T.plusSeconds(12)),
        new MessageReceived("m-4", "Hello?", false, T.plusSeconds(20)),
        new HandedBack("sara", T.plusSeconds(30)),
        new MessageReceived("m-5", "Still there?", true, T.plusSeconds(40)),
        new TurnStarted(3, "r-3", List.of("m-5"), 3, T.plusSeconds(40)),
        new TurnFailed(3, "the model timed out", T.plusSeconds(60)));

    List<RecordedTurn> turns = RecordedTurns.of("s-1", journal);

    assertThat(turns).extracting(RecordedTurn::turn).containsExactly(1, 2, 3);
    RecordedTurn first = turns.get(0);
    assertThat(first.window()).containsExactly(new ConversationMessage(Role.CUSTOMER, "When are you open?"));
    assertThat(first.reply()).isEqualTo("Monday to Friday.");
    assertThat(first.outcome()).isEqualTo(RecordedTurn.Outcome.REPLIED);
    assertThat(first.credits()).as("the settlement's charge").isEqualTo(2);
    assertThat(first.channel()).isEqualTo("sms");

    RecordedTurn second = turns.get(1);
    assertThat(second.messageIds()).as("the restart took in the later message").containsExactly("m-2", "m-3");
    assertThat(second.customerText()).isEqualTo("Can someone call me?\nMy number is 0612");
    assertThat(second.window()).containsExactly(
        new ConversationMessage(Role.CUSTOMER, "When are you open?"),
        new ConversationMessage(Role.AGENT, "Monday to Friday."),
        new ConversationMessage(Role.CUSTOMER, "Can someone call me?"),
        new ConversationMessage(Role.CUSTOMER, "My number is 0612"));
    assertThat(second.tools()).containsExactly(new RecordedTurn.ToolCall("handoff_to_human", Map.of("reason", "callback")));
    assertThat(second.handedOff()).isTrue();
    assertThat(second.credits()).isEqualTo(3);

    RecordedTurn third = turns.get(2);
    assertThat(third.outcome()).isEqualTo(RecordedTurn.Outcome.FAILED);
    assertThat(third.reply()).isNull();
    assertThat(third.window()).as("what people saw while they owned it stays in the window")
        .contains(new ConversationMessage(Role.CUSTOMER, "Hello?"))
        .endsWith(new ConversationMessage(Role.CUSTOMER, "Still there?"));
  }

  @Test
  void theWindowHoldsTheLatestContextMessagesTheConversationRecorded() {
    List<SessionEvent> journal = List.of(
        new ConversationStarted(new Profile("s-2", "org-1", "agent-1", "webchat", "v-1"), T, new ConversationWindows(500, 2)),
        new MessageReceived("m-1", "one", true, T),
        new AgentReplied(1, "out-1", "uno", 1, List.of(), List.of(), "local", "local", 0, 0, T,
            new TurnStarted(1, "r-1", List.of("m-1"), 1, T), new TurnSettled(1, List.of("m-1"), 1, T)),
        new MessageReceived("m-2", "two", true, T),
        new AgentReplied(2, "out-2", "dos", 1, List.of(), List.of(), "local", "local", 0, 0, T,
            new TurnStarted(2, "r-2", List.of("m-2"), 1, T), new TurnSettled(2, List.of("m-2"), 1, T)));

    assertThat(RecordedTurns.of("s-2", journal).get(1).window())
        .containsExactly(new ConversationMessage(Role.AGENT, "uno"), new ConversationMessage(Role.CUSTOMER, "two"));
  }
}
