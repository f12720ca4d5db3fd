package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.knowledge.ConversationMessage.Role;
import io.layercake.runtime.knowledge.ConversationMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of a conversation: its key, its windows, receipts and follow-up delays. */
class SessionStateTest {
  private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
  private static final Profile PROFILE = new Profile("s-1", "org", "agent", "whatsapp", "+31600000000");

  @Test
  void theSessionIdIsDerivedFromAgentChannelAndContactOnly() {
    String id = new SessionKey("agent", "whatsapp", "+31600000000").sessionId();

    assertThat(id).isEqualTo(new SessionKey("agent", "whatsapp", "+31600000000").sessionId()).matches("s-[0-9a-f]{32}");
    assertThat(id).isNotEqualTo(new SessionKey("agent", "sms", "+31600000000").sessionId())
        .isNotEqualTo(new SessionKey("other", "whatsapp", "+31600000000").sessionId())
        .doesNotContain("316");
  }

  @Test
  void theModelSeesTheMessagesItsTurnAnswersLastAndNoneOfLaterTurns() {
    SessionState state = apply(SessionState.EMPTY,
        new SessionEvent.ConversationStarted(PROFILE, AT),
        new SessionEvent.MessageReceived("m1", "hi", true, AT),
        new SessionEvent.MessageReceived("m2", "my sink leaks", true, AT),
        new SessionEvent.TurnStarted(1, "s-1:1", List.of("m1"), 1, AT),
        new SessionEvent.MessageReceived("m3", "today?", true, AT),
        new SessionEvent.AgentReplied(1, "out-1", "Hello!", 1, List.of(), List.of(), "local", "local", 0, 0, AT),
        new SessionEvent.TurnSettled(1, List.of("m1"), 1, AT),
        new SessionEvent.TurnStarted(2, "s-1:2", List.of("m2"), 1, AT));

    assertThat(state.window(state.turn())).containsExactly(
        new ConversationMessage(Role.CUSTOMER, "hi"),
        new ConversationMessage(Role.AGENT, "Hello!"),
        new ConversationMessage(Role.CUSTOMER, "my sink leaks"));
    assertThat(state.pending()).extracting(SessionState.Inbound::messageId).containsExactly("m3");
    assertThat(state.creditsUsed()).isEqualTo(1);
  }

  @Test
  void aReplyThatStartsAndSettlesItsTurnLeavesTheStateItsThreeEventsLeave() {
    SessionState before = apply(SessionState.EMPTY,
        new SessionEvent.ConversationStarted(PROFILE, AT),
        new SessionEvent.MessageReceived("m1", "hi", true, AT),
        new SessionEvent.MessageReceived("m2", "my sink leaks", true, AT));
    SessionEvent.TurnStarted started = new SessionEvent.TurnStarted(1, "s-1:1", List.of("m1"), 1, AT);
    SessionEvent.TurnSettled settled = new SessionEvent.TurnSettled(1, List.of("m1"), 1, AT);
    SessionEvent.AgentReplied reply =
        new SessionEvent.AgentReplied(1, "out-1", "Hello!", 1, List.of(), List.of(), "local", "local", 0, 0, AT);

    SessionState fromThree = apply(before, started, reply, settled);
    SessionState fromOne = apply(before, new SessionEvent.AgentReplied(
        1, "out-1", "Hello!", 1, List.of(), List.of(), "local", "local", 0, 0, AT, started, settled));

    assertThat(fromOne).usingRecursiveComparison().isEqualTo(fromThree);
    assertThat(fromOne.turn()).isNull();
    assertThat(fromOne.turns()).isEqualTo(1);
    assertThat(fromOne.creditsUsed()).isEqualTo(1);
    assertThat(fromOne.pending()).extracting(SessionState.Inbound::messageId).containsExactly("m2");
  }

  @Test
  void theMessagingWindowCountsFromWhenTheCustomerWroteAndNeverMovesBack() {
    Instant received = AT.plus(Duration.ofDays(16));
    SessionState redelivered = apply(SessionState.EMPTY, new SessionEvent.ConversationStarted(PROFILE, received),
        new SessionEvent.MessageReceived("m1", "hi", true, received, AT));
    SessionState then = apply(redelivered,
        new SessionEvent.MessageReceived("m2", "still there?", true, received.plusSeconds(5), received.plusSeconds(4)),
        new SessionEvent.MessageReceived("m0", "late copy", true, received.plusSeconds(6), AT));
    SessionState journaledBefore = apply(SessionState.EMPTY, new SessionEvent.ConversationStarted(PROFILE, AT),
        new SessionEvent.MessageReceived("m1", "hi", true, received, null));

    assertThat(redelivered.lastInboundAt()).isEqualTo(AT);
    assertThat(then.lastInboundAt()).isEqualTo(received.plusSeconds(4));
    assertThat(journaledBefore.lastInboundAt()).as("an event without the provider's time counts from its receipt")
        .isEqualTo(received);
  }

  @Test
  void seenIdsAndContextAreBoundedByTheWindowsTheConversationRecorded() {
    SessionState state = apply(SessionState.EMPTY,
        new SessionEvent.ConversationStarted(PROFILE, AT, new ConversationWindows(10, 5)));
    for (int i = 0; i < 20; i++) {
      state = state.apply(new SessionEvent.MessageReceived("m" + i, "text " + i, false, AT));
    }

    assertThat(state.seenMessageIds()).hasSize(10).first().isEqualTo("m10");
    assertThat(state.context()).hasSize(5);
    assertThat(state.seen("m9")).isFalse();
    assertThat(state.seen("m19")).isTrue();
  }

  @Test
  void changedWindowsTrimAtOnceAndBoundWhatFollows() {
    SessionState state = apply(SessionState.EMPTY,
        new SessionEvent.ConversationStarted(PROFILE, AT, new ConversationWindows(10, 5)));
    for (int i = 0; i < 10; i++) {
      state = state.apply(new SessionEvent.MessageReceived("m" + i, "text " + i, false, AT));
    }

    SessionState narrowed = state.apply(new SessionEvent.WindowsChanged(new ConversationWindows(4, 2), AT));
    SessionState widened = narrowed.apply(new SessionEvent.WindowsChanged(new ConversationWindows(12, 6), AT));
    for (int i = 10; i < 20; i++) {
      widened = widened.apply(new SessionEvent.MessageReceived("m" + i, "text " + i, false, AT));
    }

    assertThat(narrowed.seenMessageIds()).containsExactly("m6", "m7", "m8", "m9");
    assertThat(narrowed.context()).extracting(SessionState.ContextEntry::messageId).containsExactly("m8", "m9");
    assertThat(widened.seenMessageIds()).hasSize(12).first().isEqualTo("m8");
    assertThat(widened.context()).hasSize(6);
    assertThat(widened.windows()).isEqualTo(new ConversationWindows(12, 6));
  }

  @Test
  void aConversationStartedBeforeItsWindowsWereRecordedKeepsTheOldDefaults() {
    SessionState state = apply(SessionState.EMPTY, new SessionEvent.ConversationStarted(PROFILE, AT));
    for (int i = 0; i < 40; i++) {
      state = state.apply(new SessionEvent.MessageReceived("m" + i, "text " + i, false, AT));
    }

    assertThat(state.windows()).isSameAs(ConversationWindows.UNRECORDED).isEqualTo(new ConversationWindows(500, 30));
    assertThat(state.seenMessageIds()).hasSize(40);
    assertThat(state.context()).hasSize(30);
  }

  @Test
  void receiptsNeverMoveAMessageBackwardsAndFailureIsFinal() {
    assertThat(DeliveryStatus.SENT.canBecome(DeliveryStatus.DELIVERED)).isTrue();
    assertThat(DeliveryStatus.READ.canBecome(DeliveryStatus.DELIVERED)).isFalse();
    assertThat(DeliveryStatus.DELIVERED.canBecome(DeliveryStatus.FAILED)).isTrue();
    assertThat(DeliveryStatus.FAILED.canBecome(DeliveryStatus.READ)).isFalse();
    assertThat(DeliveryStatus.READ.canBecome(DeliveryStatus.READ)).isFalse();
  }

  @Test
  void followupDelaysAreShortFormsOrIsoBetweenAMinuteAndThirtyDays() {
    assertThat(FollowupDelay.parse("30m")).contains(Duration.ofMinutes(30));
    assertThat(FollowupDelay.parse("2 hours")).contains(Duration.ofHours(2));
    assertThat(FollowupDelay.parse("1d")).contains(Duration.ofDays(1));
    assertThat(FollowupDelay.parse("PT90M")).contains(Duration.ofMinutes(90));
    assertThat(FollowupDelay.parse("10s")).isEqualTo(Optional.empty());
    assertThat(FollowupDelay.parse("31d")).isEmpty();
    assertThat(FollowupDelay.parse("soon")).isEmpty();
    assertThat(FollowupDelay.parse(null)).isEmpty();
  }

  @Test
  void anEventKeepsTheListsItLeavesAloneAndCopiesTheOnesItChanges() {
    SessionState before = apply(SessionState.EMPTY,
        new SessionEvent.ConversationStarted(PROFILE, AT),
        new SessionEvent.MessageReceived("m1", "hi", true, AT),
        new SessionEvent.TurnStarted(1, "s-1:1", List.of("m1"), 1, AT),
        new SessionEvent.AgentReplied(1, "out-1", "Hello!", 1, List.of(), List.of(), "local", "local", 0, 0, AT));

    SessionState sent = apply(before, new SessionEvent.DeliveryUpdated("out-1", DeliveryStatus.SENT, "wamid.out-1", null, AT));
    SessionState received = apply(sent, new SessionEvent.MessageReceived("m2", "thanks", true, AT));

    assertThat(sent.outbox()).extracting(SessionState.Outbound::status).containsExactly(DeliveryStatus.SENT);
    assertThat(before.outbox()).extracting(SessionState.Outbound::status).containsExactly(DeliveryStatus.QUEUED);
    assertThat(sent.seenMessageIds()).isSameAs(before.seenMessageIds());
    assertThat(sent.context()).isSameAs(before.context());
    assertThat(sent.pending()).isSameAs(before.pending());
    assertThat(sent.followups()).isSameAs(before.followups());
    assertThat(received.seenMessageIds()).containsExactly("m1", "m2");
    assertThat(sent.seenMessageIds()).containsExactly("m1");
    assertThat(received.outbox()).isSameAs(sent.outbox());
  }

  private static SessionState apply(SessionState state, SessionEvent... events) {
    SessionState result = state;
    for (SessionEvent event : events) {
      result = result.apply(event);
    }
    return result;
  }
}
