package io.layercake.runtime.session;

import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.channel.MessagingWindows;
import io.layercake.runtime.session.SessionReply.Reason;
import io.layercake.runtime.session.SessionReply.Rejected;
import io.layercake.runtime.session.SessionState.Status;
import java.time.Instant;
import java.util.Optional;

/**
 * Whether a person's message (free text, or a template when {@code template} is given) may go into a
 * conversation now. Refused before anything is recorded: the person learns it at once, not from a
 * failed delivery later.
 */
final class PersonMessages {
  private PersonMessages() {}

  /** Why it may not go now; empty when it may. */
  static Optional<Rejected> refusal(SessionState state, MessageTemplate template, Instant now) {
    if (state.status() == Status.CLOSED) {
      return Optional.of(new Rejected(Reason.CONFLICT, "the conversation is closed; reopen it first"));
    }
    if (state.optedOut()) {
      return Optional.of(new Rejected(Reason.OPTED_OUT, SessionEntity.OPTED_OUT));
    }
    String channel = state.profile().channel();
    if (template != null && !MessagingWindows.takesTemplates(channel)) {
      return Optional.of(new Rejected(Reason.INVALID, MessagingWindows.display(channel) + " takes no message templates"));
    }
    if (template == null && MessagingWindows.closed(channel, state.lastInboundAt(), true, now)) {
      String until = MessagingWindows.takesTemplates(channel)
          ? ": only an approved template can reach the customer until they write again" : ": the customer has to write again first";
      return Optional.of(new Rejected(Reason.WINDOW_CLOSED, state.lastInboundAt() == null
          ? "the customer has not written on " + MessagingWindows.display(channel) + " yet" + until
          : MessagingWindows.display(channel) + "'s window for a person (" + MessagingWindows.forPerson(channel).orElseThrow().toHours()
              + " hours) closed at " + state.lastInboundAt().plus(MessagingWindows.forPerson(channel).orElseThrow()) + until));
    }
    return Optional.empty();
  }
}
