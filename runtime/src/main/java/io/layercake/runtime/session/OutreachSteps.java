package io.layercake.runtime.session;

import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.session.SessionEvent.FollowupCancelled;
import io.layercake.runtime.session.SessionEvent.FollowupScheduled;
import io.layercake.runtime.session.SessionEvent.SequenceEnded;
import io.layercake.runtime.session.SessionEvent.ToolRan;
import io.layercake.runtime.session.SessionState.Followup;
import io.layercake.runtime.tools.Tool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** What the messages a conversation starts on its own come to as events: sequences step by step, cancellations, closed windows. */
final class OutreachSteps {
  private OutreachSteps() {}

  /** The template that carries {@code followup} once WhatsApp's window is closed, or null when none is set. */
  static OutreachSettings.TemplateChoice closedWindowTemplate(Followup followup, OutreachSettings settings) {
    if (followup.reminder()) {
      return settings.reminderTemplate();
    }
    if (Followup.REVIEW.equals(followup.purpose())) {
      return settings.review().template();
    }
    if (followup.sequence() != null && followup.sequence().current().template() != null) {
      return followup.sequence().current().template();
    }
    return settings.followupTemplate();
  }

  /** After a step went or was skipped: the next step, or the end of the sequence. */
  static List<SessionEvent> nextStep(SequenceRun run, Instant now) {
    if (run.last()) {
      return List.of(new SequenceEnded(run.runId(), run.name(), "all " + run.steps().size() + " steps went", now));
    }
    SequenceRun next = run.next();
    return List.of(new FollowupScheduled(next.followupId(), now.plus(next.current().pause()), next.current().text(), now,
        Followup.SEQUENCE, next));
  }

  /** A follow-up cancelled; a sequence's step takes its sequence with it. */
  static List<SessionEvent> cancelled(Followup followup, String reason, Instant now) {
    FollowupCancelled cancelled = new FollowupCancelled(followup.followupId(), reason, now);
    return followup.sequence() == null ? List.of(cancelled)
        : List.of(cancelled, new SequenceEnded(followup.sequence().runId(), followup.sequence().name(), reason, now));
  }

  /** A booking among {@code events} ends the sequences that stop on one. */
  static List<SessionEvent> stopsOnBooking(SessionState state, List<SessionEvent> events, Instant now) {
    boolean booked = events.stream().anyMatch(event -> event instanceof ToolRan ran && ran.done()
        && Tool.BOOK_APPOINTMENT.toolName().equals(ran.name()));
    if (!booked) {
      return List.of();
    }
    List<SessionEvent> stops = new ArrayList<>();
    state.sequenceSteps().stream().filter(step -> step.sequence().stopOnBooking())
        .forEach(step -> stops.addAll(cancelled(step, "the customer booked", now)));
    return stops;
  }
}
