package io.layercake.runtime.session;

import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.channel.MessagingWindows;
import io.layercake.runtime.outreach.FollowupSequence;
import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.session.SessionEvent.FollowupCancelled;
import io.layercake.runtime.session.SessionEvent.FollowupScheduled;
import io.layercake.runtime.session.SessionEvent.SequenceEnded;
import io.layercake.runtime.session.SessionEvent.SequenceStarted;
import io.layercake.runtime.session.SessionEvent.ToolRan;
import io.layercake.runtime.session.SessionReply.Reason;
import io.layercake.runtime.session.SessionReply.Rejected;
import io.layercake.runtime.session.SessionState.Followup;
import io.layercake.runtime.session.SessionState.Status;
import io.layercake.runtime.tools.Tool;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What the messages a conversation starts on its own come to as events: which sequences and review
 * requests an occasion starts, how a follow-up that fell due goes out, sequences step by step,
 * cancellations, closed windows. It decides; the conversation reads, charges, writes and schedules.
 */
final class OutreachSteps {
  private OutreachSteps() {}

  /** When a conversation looks for outreach to start: the sequences' trigger, and whether a review request may follow. */
  enum Occasion {
    NAMED(null, false),
    LEAD(FollowupSequence.Trigger.LEAD_CAPTURED, false),
    BOOKED(FollowupSequence.Trigger.BOOKING_COMPLETED, true),
    CLOSED_UNBOOKED(FollowupSequence.Trigger.CLOSED_WITHOUT_BOOKING, false),
    CLOSED_UNBOOKED_SUCCESS(FollowupSequence.Trigger.CLOSED_WITHOUT_BOOKING, true),
    CLOSED_SUCCESS(null, true);

    final FollowupSequence.Trigger trigger;
    final boolean review;

    Occasion(FollowupSequence.Trigger trigger, boolean review) {
      this.trigger = trigger;
      this.review = review;
    }
  }

  /** What an occasion starts: the events to write, and why a named sequence cannot start (null when none was refused). */
  record Starts(List<SessionEvent> events, Rejected refused) {}

  /**
   * What {@code occasion} starts, given the agent's {@code sequences} and the organization's
   * {@code settings}: the sequence {@code wanted} by name (a person's or the agent's), else those the
   * occasion triggers and not under way; a review request when the occasion asks for one and none is
   * pending. Nothing for a contact who opted out.
   */
  static Starts starts(SessionState state, Occasion occasion, String wanted, String by, OutreachSettings settings,
      List<FollowupSequence> sequences, Instant now) {
    Set<String> running = state.sequenceSteps().stream().map(step -> step.sequence().name()).collect(Collectors.toSet());
    List<FollowupSequence> starting = sequences.stream()
        .filter(sequence -> wanted != null ? sequence.name().equals(wanted) : sequence.trigger() == occasion.trigger)
        .toList();
    if (wanted != null && starting.isEmpty()) {
      return new Starts(List.of(), new Rejected(Reason.NOT_FOUND, "this agent has no sequence named " + wanted));
    }
    if (wanted != null && running.contains(wanted)) {
      return new Starts(List.of(), new Rejected(Reason.CONFLICT, "the sequence " + wanted + " is under way already"));
    }
    if (state.optedOut()) {
      return new Starts(List.of(), null);
    }
    List<SessionEvent> events = new ArrayList<>();
    for (FollowupSequence sequence : starting) {
      if (running.contains(sequence.name())) {
        continue;
      }
      SequenceRun run = new SequenceRun("seq-" + now.toEpochMilli() + "-" + sequence.name(), sequence.name(), 0, sequence.steps(), now,
          sequence.stopOnReply(), sequence.stopOnBooking());
      events.add(new SequenceStarted(run.runId(), sequence.name(), by,
          occasion.trigger == null ? null : occasion.trigger.wireName(), sequence.steps().size(), now));
      events.add(new FollowupScheduled(run.followupId(), now.plus(run.current().pause()), run.current().text(), now, Followup.SEQUENCE, run));
    }
    OutreachSettings.ReviewRequests review = settings.review();
    boolean reviewPending = state.followups().stream().anyMatch(followup -> Followup.REVIEW.equals(followup.purpose()));
    if (occasion.review && review != null && !reviewPending) {
      events.add(new FollowupScheduled("review-" + now.toEpochMilli(), now.plus(review.pause()), review.text(), now, Followup.REVIEW));
    }
    return new Starts(events, null);
  }

  /** How a follow-up that fell due goes: {@link Drop}, {@link Retry}, {@link Moved}, {@link Charge} or {@link Queue}. */
  sealed interface Plan {}

  /** It does not go, for {@code reason}. */
  record Drop(String reason) implements Plan {}

  /** The organization's outreach settings could not be read: it is tried again later. */
  record Retry() implements Plan {}

  /** Quiet hours: these events move it to their end. */
  record Moved(List<SessionEvent> events) implements Plan {}

  /**
   * Outreach (a sequence's step, a review request): the organization is charged first, then it is
   * queued as {@code text}, in {@code template} when the window is closed; {@code review} for a review request.
   */
  record Charge(String text, OutreachSettings.TemplateChoice template, OutreachSettings.ReviewRequests review) implements Plan {}

  /** The agent's follow-up or an appointment's reminder: queued at once, in {@code template} (null: as text) when the window is closed. */
  record Queue(MessageTemplate template) implements Plan {}

  /**
   * How {@code followup} goes now, under the organization's outreach {@code settings} (null when they
   * could not be read): the conversation may have moved on since it fell due.
   */
  static Plan plan(SessionState state, Followup followup, OutreachSettings settings, Instant now) {
    Optional<String> dropped = whyNotSent(state, followup);
    if (dropped.isPresent()) {
      return new Drop(dropped.get());
    }
    if (settings == null) {
      return new Retry();
    }
    Optional<Instant> quietUntil = settings.quietUntil(now);
    if (quietUntil.isPresent()) {
      String later = followup.originalId() + "-quiet" + quietUntil.get().toEpochMilli();
      return new Moved(List.of(new FollowupCancelled(followup.followupId(), "quiet hours: moved to " + quietUntil.get(), now),
          new FollowupScheduled(later, quietUntil.get(), followup.text(), now, followup.purpose(), followup.sequence())));
    }
    OutreachSettings.ReviewRequests review = settings.review();
    boolean reviewRequest = Followup.REVIEW.equals(followup.purpose());
    if (reviewRequest && review == null) {
      return new Drop("the client turned review requests off");
    }
    OutreachSettings.TemplateChoice choice = null;
    String channel = state.profile().channel();
    if (MessagingWindows.closed(channel, state.lastInboundAt(), false, now)) {
      if (!MessagingWindows.takesTemplates(channel)) {
        return new Drop(MessagingWindows.display(channel) + "'s 24-hour window is closed and it takes no templates");
      }
      choice = closedWindowTemplate(followup, settings);
      if (choice == null) {
        return new Drop("WhatsApp's 24-hour window is closed and no " + (followup.reminder() ? "reminder"
            : reviewRequest ? "review request" : "follow-up") + " template is set");
      }
    }
    if (followup.outreach()) {
      return new Charge(reviewRequest ? review.text() : followup.text(), choice, reviewRequest ? review : null);
    }
    return new Queue(choice == null ? null
        : new MessageTemplate(choice.name(), choice.language(), choice.takesText() ? List.of(followup.text()) : List.of()));
  }

  /**
   * Why a follow-up that fell due is not sent at all: a person has the conversation (reminders go
   * anyway; sequences and review requests also into a closed conversation), or an opt-out.
   */
  static Optional<String> whyNotSent(SessionState state, Followup followup) {
    boolean mayGo = state.agentOwns() || followup.reminder() || followup.outreach() && state.status() == Status.CLOSED;
    if (!mayGo) {
      return Optional.of("the conversation is not with the agent");
    }
    return state.optedOut() ? Optional.of("the contact opted out") : Optional.empty();
  }

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
