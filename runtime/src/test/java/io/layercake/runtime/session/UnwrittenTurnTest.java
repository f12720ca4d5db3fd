package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A turn's start travels with the turn's first write, folded into it when that write is the reply. */
class UnwrittenTurnTest {
  private static final Instant AT = Instant.parse("2026-12-05T10:00:00Z");
  private static final SessionEvent.TurnStarted STARTED = new SessionEvent.TurnStarted(1, "s-1:1", List.of("m1"), 1, AT);
  private static final SessionState WRITTEN = SessionState.EMPTY
      .apply(new SessionEvent.ConversationStarted(new Profile("s-1", "org", "agent", "webchat", "v-1"), AT))
      .apply(new SessionEvent.MessageReceived("m1", "Hi", true, AT));
  private static final SessionState WITH_TURN = WRITTEN.apply(STARTED);
  private static final SessionEvent.AgentReplied REPLY =
      new SessionEvent.AgentReplied(1, "out-1", "Hello", 1, List.of(), List.of(), "local", "local", 0, 0, AT);

  @Test
  void theReplyThatIsTheTurnsFirstWriteCarriesItsStart() {
    UnwrittenTurn turn = new UnwrittenTurn();
    turn.begin(STARTED, WITH_TURN);

    assertThat(turn.view(WRITTEN)).isSameAs(WITH_TURN);
    assertThat(turn.withStart(List.of(REPLY))).containsExactly(REPLY.with(STARTED, null));
    assertThat(turn.view(WRITTEN)).as("written now: the handlers see the journal's state").isSameAs(WRITTEN);
    assertThat(turn.withStart(List.of(REPLY))).as("the start is written once").containsExactly(REPLY);
  }

  @Test
  void anyOtherFirstWriteHasTheStartWrittenBeforeIt() {
    UnwrittenTurn turn = new UnwrittenTurn();
    turn.begin(STARTED, WITH_TURN);
    SessionEvent.TurnFailed failed = new SessionEvent.TurnFailed(1, "the model failed", AT);

    assertThat(turn.withStart(List.of(failed, REPLY))).containsExactly(STARTED, failed, REPLY);
  }

  @Test
  void withoutATurnInFlightNothingChanges() {
    UnwrittenTurn turn = new UnwrittenTurn();
    List<SessionEvent> events = List.of(REPLY);

    assertThat(turn.view(WRITTEN)).isSameAs(WRITTEN);
    assertThat(turn.withStart(events)).isSameAs(events);
  }
}
