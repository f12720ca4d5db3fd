package io.layercake.runtime.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.outreach.FollowupSequence;
import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.outreach.OutreachSettings.ReviewRequests;
import io.layercake.runtime.outreach.OutreachSettings.TemplateChoice;
import io.layercake.runtime.session.OutreachSteps.Occasion;
import io.layercake.runtime.session.SessionEvent.ConversationStarted;
import io.layercake.runtime.session.SessionEvent.ContactOptedOut;
import io.layercake.runtime.session.SessionEvent.FollowupCancelled;
import io.layercake.runtime.session.SessionEvent.FollowupScheduled;
import io.layercake.runtime.session.SessionEvent.HandedOff;
import io.layercake.runtime.session.SessionEvent.MessageReceived;
import io.layercake.runtime.session.SessionEvent.SequenceStarted;
import io.layercake.runtime.session.SessionReply.Reason;
import io.layercake.runtime.session.SessionState.Followup;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an occasion starts and how a follow-up that fell due goes, decided from the conversation and the organization's settings. */
class OutreachStepsTest {
  private static final Instant NOW = Instant.parse("2026-12-07T14:00:00Z");
  private static final Profile WHATSAPP = new Profile("s-1", "org-1", "agent-1", "whatsapp", "+31611111111");
  private static final TemplateChoice FOLLOWUP_TEMPLATE = new TemplateChoice("checking_in", "en", true);
  private static final ReviewRequests REVIEWS =
      new ReviewRequests("https://g.page/r/plumber", "2h", 90, "How did we do? {link}", null);
  private static final OutreachSettings PLAIN = new OutreachSettings("UTC", null, null, null, null, null);
  private static final FollowupSequence NURTURE = new FollowupSequence("agent-1", "nurture", FollowupSequence.Trigger.LEAD_CAPTURED,
      List.of(new FollowupSequence.Step("1d", "Still interested?", null, false),
          new FollowupSequence.Step("3d", "Last call!", null, false)), true, false);

  @Test
  void anOccasionStartsTheSequencesItTriggersAndAReviewRequestWhenItAsksForOne() {
    OutreachSteps.Starts lead = OutreachSteps.starts(conversation(), Occasion.LEAD, null, "agent", PLAIN, List.of(NURTURE), NOW);
    OutreachSteps.Starts booked = OutreachSteps.starts(conversation(), Occasion.BOOKED, null, "agent",
        new OutreachSettings("UTC", null, null, null, null, REVIEWS), List.of(NURTURE), NOW);

    assertThat(lead.refused()).isNull();
    assertThat(lead.events()).extracting(Object::getClass).containsExactly(SequenceStarted.class, FollowupScheduled.class);
    FollowupScheduled step = (FollowupScheduled) lead.events().get(1);
    assertThat(step.dueAt()).isEqualTo(NOW.plus(Duration.ofDays(1)));
    assertThat(step.sequence().name()).isEqualTo("nurture");
    assertThat(((SequenceStarted) lead.events().get(0)).trigger()).isEqualTo(FollowupSequence.Trigger.LEAD_CAPTURED.wireName());
    assertThat(booked.events()).as("the lead's sequence is not the booking's; a booking asks for a review")
        .singleElement().isInstanceOfSatisfying(FollowupScheduled.class, review -> {
          assertThat(review.purpose()).isEqualTo(Followup.REVIEW);
          assertThat(review.dueAt()).isEqualTo(NOW.plus(Duration.ofHours(2)));
        });
  }

  @Test
  void aNamedSequenceThatIsMissingOrUnderWayIsRefusedAndAnOptedOutContactGetsNone() {
    SessionState running = apply(conversation(),
        OutreachSteps.starts(conversation(), Occasion.NAMED, "nurture", "maria", PLAIN, List.of(NURTURE), NOW).events());

    assertThat(OutreachSteps.starts(conversation(), Occasion.NAMED, "welcome", "maria", PLAIN, List.of(NURTURE), NOW).refused())
        .isEqualTo(new SessionReply.Rejected(Reason.NOT_FOUND, "this agent has no sequence named welcome"));
    assertThat(OutreachSteps.starts(running, Occasion.NAMED, "nurture", "maria", PLAIN, List.of(NURTURE), NOW).refused().reason())
        .isEqualTo(Reason.CONFLICT);
    assertThat(OutreachSteps.starts(running, Occasion.LEAD, null, "agent", PLAIN, List.of(NURTURE), NOW).events())
        .as("a triggered sequence under way is not started twice").isEmpty();
    SessionState optedOut = apply(conversation(), List.of(new ContactOptedOut("m-2", "STOP", NOW)));
    OutreachSteps.Starts none = OutreachSteps.starts(optedOut, Occasion.LEAD, null, "agent", PLAIN, List.of(NURTURE), NOW);
    assertThat(none.events()).isEmpty();
    assertThat(none.refused()).isNull();
  }

  @Test
  void aDueFollowupGoesAtOnceAsTextInsideTheWindowAndInItsTemplateOutside() {
    Followup followup = followup(null);
    OutreachSettings withTemplate = new OutreachSettings("UTC", null, null, FOLLOWUP_TEMPLATE, null, null);

    assertThat(OutreachSteps.plan(conversation(), followup, withTemplate, NOW)).isEqualTo(new OutreachSteps.Queue(null));
    Instant dayLater = NOW.plus(Duration.ofHours(25));
    assertThat(OutreachSteps.plan(conversation(), followup, withTemplate, dayLater))
        .isEqualTo(new OutreachSteps.Queue(new MessageTemplate("checking_in", "en", List.of("Any questions left?"))));
    assertThat(OutreachSteps.plan(conversation(), followup, PLAIN, dayLater)).isEqualTo(new OutreachSteps.Drop(
        "WhatsApp's 24-hour window is closed and no follow-up template is set"));
  }

  @Test
  void quietHoursMoveItToTheirEnd() {
    Followup followup = followup(null);
    OutreachSettings quiet = new OutreachSettings("UTC", "13:00", "15:30", null, null, null);

    OutreachSteps.Plan plan = OutreachSteps.plan(conversation(), followup, quiet, NOW);

    Instant end = Instant.parse("2026-12-07T15:30:00Z");
    assertThat(plan).isEqualTo(new OutreachSteps.Moved(List.of(
        new FollowupCancelled("f-1", "quiet hours: moved to " + end, NOW),
        new FollowupScheduled("f-1-quiet" + end.toEpochMilli(), end, "Any questions left?", NOW, null, null))));
  }

  @Test
  void whoHasTheConversationAndTheContactsWishDecideFirstEvenWhenTheSettingsCouldNotBeRead() {
    SessionState handedOff = apply(conversation(), List.of(new HandedOff("maria", "asked for a person", null, NOW)));
    SessionState optedOut = apply(conversation(), List.of(new ContactOptedOut("m-2", "STOP", NOW)));

    assertThat(OutreachSteps.plan(handedOff, followup(null), null, NOW))
        .isEqualTo(new OutreachSteps.Drop("the conversation is not with the agent"));
    assertThat(OutreachSteps.plan(handedOff, followup(Followup.REMINDER), PLAIN, NOW))
        .as("a reminder goes whoever has the conversation").isEqualTo(new OutreachSteps.Queue(null));
    assertThat(OutreachSteps.plan(optedOut, followup(Followup.REMINDER), null, NOW))
        .isEqualTo(new OutreachSteps.Drop("the contact opted out"));
    assertThat(OutreachSteps.plan(conversation(), followup(null), null, NOW)).isEqualTo(new OutreachSteps.Retry());
  }

  @Test
  void outreachIsChargedFirstAndAReviewRequestNeedsReviewRequestsOn() {
    Followup review = followup(Followup.REVIEW);
    OutreachSettings reviewsOn = new OutreachSettings("UTC", null, null, null, null, REVIEWS);

    assertThat(OutreachSteps.plan(conversation(), review, reviewsOn, NOW))
        .isEqualTo(new OutreachSteps.Charge("How did we do? {link}", null, REVIEWS));
    assertThat(OutreachSteps.plan(conversation(), review, PLAIN, NOW))
        .isEqualTo(new OutreachSteps.Drop("the client turned review requests off"));
  }

  private static Followup followup(String purpose) {
    return new Followup("f-1", NOW, "Any questions left?", purpose);
  }

  private static SessionState conversation() {
    return apply(SessionState.EMPTY, List.of(new ConversationStarted(WHATSAPP, NOW.minusSeconds(60)),
        new MessageReceived("m-1", "Can you come on Monday?", true, NOW.minusSeconds(60))));
  }

  private static SessionState apply(SessionState state, List<SessionEvent> events) {
    SessionState result = state;
    for (SessionEvent event : events) {
      result = result.apply(event);
    }
    return result;
  }
}
