package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.session.SessionEvent.Closed;
import io.layercake.runtime.session.SessionEvent.ContactOptedOut;
import io.layercake.runtime.session.SessionEvent.ConversationStarted;
import io.layercake.runtime.session.SessionEvent.MessageReceived;
import io.layercake.runtime.session.SessionReply.Reason;
import io.layercake.runtime.session.SessionReply.Rejected;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What a person may send into a conversation, by its state, its channel's window and whether it is a template. */
class PersonMessagesTest {
  private static final Instant WROTE = Instant.parse("2026-12-07T09:00:00Z");
  private static final MessageTemplate TEMPLATE = new MessageTemplate("appointment_update", "en", List.of());

  @Test
  void freeTextGoesWithinTheWindowAndOnlyATemplateAfterItOnWhatsApp() {
    SessionState whatsapp = conversation("whatsapp", WROTE);
    Instant dayLater = WROTE.plus(Duration.ofHours(24));

    assertThat(PersonMessages.refusal(whatsapp, null, WROTE.plus(Duration.ofHours(23)))).isEmpty();
    assertThat(PersonMessages.refusal(whatsapp, null, dayLater)).contains(new Rejected(Reason.WINDOW_CLOSED,
        "WhatsApp's window for a person (24 hours) closed at 2026-12-08T09:00:00Z: only an approved template can reach"
            + " the customer until they write again"));
    assertThat(PersonMessages.refusal(whatsapp, TEMPLATE, dayLater)).isEmpty();
  }

  @Test
  void instagramGivesAPersonAWeekAndTakesNoTemplates() {
    SessionState instagram = conversation("instagram", WROTE);

    assertThat(PersonMessages.refusal(instagram, null, WROTE.plus(Duration.ofDays(6)))).isEmpty();
    assertThat(PersonMessages.refusal(instagram, null, WROTE.plus(Duration.ofDays(7))).map(Rejected::reason))
        .contains(Reason.WINDOW_CLOSED);
    assertThat(PersonMessages.refusal(instagram, TEMPLATE, WROTE))
        .contains(new Rejected(Reason.INVALID, "Instagram takes no message templates"));
  }

  @Test
  void aClosedConversationOrAnOptedOutContactTakesNothing() {
    SessionState closed = apply(conversation("webchat", WROTE), new Closed("maria", WROTE));
    SessionState optedOut = apply(conversation("sms", WROTE), new ContactOptedOut("m-2", "STOP", WROTE));

    assertThat(PersonMessages.refusal(closed, null, WROTE).map(Rejected::reason)).contains(Reason.CONFLICT);
    assertThat(PersonMessages.refusal(optedOut, null, WROTE)).contains(new Rejected(Reason.OPTED_OUT, SessionEntity.OPTED_OUT));
    assertThat(PersonMessages.refusal(conversation("webchat", WROTE), null, WROTE.plus(Duration.ofDays(30))))
        .as("webchat has no window").isEqualTo(Optional.empty());
  }

  @Test
  void aCustomerWhoNeverWroteCanBeReachedOnlyByATemplate() {
    SessionState reachedOut = SessionState.EMPTY.apply(
        new ConversationStarted(new Profile("s-1", "org-1", "agent-1", "whatsapp", "+31611111111"), WROTE));

    assertThat(PersonMessages.refusal(reachedOut, null, WROTE)).contains(new Rejected(Reason.WINDOW_CLOSED,
        "the customer has not written on WhatsApp yet: only an approved template can reach the customer until they write"
            + " again"));
    assertThat(PersonMessages.refusal(reachedOut, TEMPLATE, WROTE)).isEmpty();
  }

  private static SessionState conversation(String channel, Instant wrote) {
    return apply(SessionState.EMPTY.apply(new ConversationStarted(new Profile("s-1", "org-1", "agent-1", channel, "+31611111111"),
        wrote)), new MessageReceived("m-1", "Is Monday possible?", true, wrote));
  }

  private static SessionState apply(SessionState state, SessionEvent event) {
    return state.apply(event);
  }
}
