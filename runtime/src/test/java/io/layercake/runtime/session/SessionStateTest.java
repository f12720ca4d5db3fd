package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.ConversationMessage.Role;
import io.layercake.runtime.session.SessionState.DeliveryStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The pure parts of a conversation: its key, its windows, receipts and follow-up delays. */
class SessionStateTest {
  private static final Instant AT = Instant.parse("2026-11-26T10:00:00Z");
  private static final SessionState.Profile PROFILE = new SessionState.Profile("s-1", "org", "agent", "whatsapp", "+31600000000");

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
        new SessionEntity.ConversationStarted(PROFILE, AT),
        new SessionEntity.MessageReceived("m1", "hi", true, AT),
        new SessionEntity.MessageReceived("m2", "my sink leaks", true, AT),
        new SessionEntity.TurnStarted(1, "s-1:1", List.of("m1"), 1, AT),
        new SessionEntity.MessageReceived("m3", "today?", true, AT),
        new SessionEntity.AgentReplied(1, "out-1", "Hello!", 1, List.of(), List.of(), "local", "local", 0, 0, AT),
        new SessionEntity.TurnSettled(1, List.of("m1"), 1, AT),
        new SessionEntity.TurnStarted(2, "s-1:2", List.of("m2"), 1, AT));

    assertThat(state.window(state.turn(), 30)).containsExactly(
        new ConversationMessage(Role.CUSTOMER, "hi"),
        new ConversationMessage(Role.AGENT, "Hello!"),
        new ConversationMessage(Role.CUSTOMER, "my sink leaks"));
    assertThat(state.pending()).extracting(SessionState.Inbound::messageId).containsExactly("m3");
    assertThat(state.creditsUsed()).isEqualTo(1);
  }

  @Test
  void aReplyThatStartsAndSettlesItsTurnLeavesTheStateItsThreeEventsLeave() {
    SessionState before = apply(SessionState.EMPTY,
        new SessionEntity.ConversationStarted(PROFILE, AT),
        new SessionEntity.MessageReceived("m1", "hi", true, AT),
        new SessionEntity.MessageReceived("m2", "my sink leaks", true, AT));
    SessionEntity.TurnStarted started = new SessionEntity.TurnStarted(1, "s-1:1", List.of("m1"), 1, AT);
    SessionEntity.TurnSettled settled = new SessionEntity.TurnSettled(1, List.of("m1"), 1, AT);
    SessionEntity.AgentReplied reply =
        new SessionEntity.AgentReplied(1, "out-1", "Hello!", 1, List.of(), List.of(), "local", "local", 0, 0, AT);

    SessionState fromThree = apply(before, started, reply, settled);
    SessionState fromOne = apply(before, new SessionEntity.AgentReplied(
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
    SessionState redelivered = apply(SessionState.EMPTY, new SessionEntity.ConversationStarted(PROFILE, received),
        new SessionEntity.MessageReceived("m1", "hi", true, received, AT));
    SessionState then = apply(redelivered,
        new SessionEntity.MessageReceived("m2", "still there?", true, received.plusSeconds(5), received.plusSeconds(4)),
        new SessionEntity.MessageReceived("m0", "late copy", true, received.plusSeconds(6), AT));
    SessionState journaledBefore = apply(SessionState.EMPTY, new SessionEntity.ConversationStarted(PROFILE, AT),
        new SessionEntity.MessageReceived("m1", "hi", true, received, null));

    assertThat(redelivered.lastInboundAt()).isEqualTo(AT);
    assertThat(then.lastInboundAt()).isEqualTo(received.plusSeconds(4));
    assertThat(journaledBefore.lastInboundAt()).as("an event without the provider's time counts from its receipt")
        .isEqualTo(received);
  }

  @Test
  void seenIdsAndContextAreBoundedWindows() {
    SessionState state = apply(SessionState.EMPTY, new SessionEntity.ConversationStarted(PROFILE, AT));
    for (int i = 0; i < 20; i++) {
      state = state.apply(new SessionEntity.MessageReceived("m" + i, "text " + i, false, AT), 10, 5);
    }

    assertThat(state.seenMessageIds()).hasSize(10).first().isEqualTo("m10");
    assertThat(state.context()).hasSize(5);
    assertThat(state.seen("m9")).isFalse();
    assertThat(state.seen("m19")).isTrue();
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

  private static SessionState apply(SessionState state, SessionEntity.Event... events) {
    SessionState result = state;
    for (SessionEntity.Event event : events) {
      result = result.apply(event, 500, 30);
    }
    return result;
  }
}
