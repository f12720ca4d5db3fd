package io.layercake.persistence.conversations;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.CreditSettings;
import io.layercake.config.DatabaseSettings;
import io.layercake.config.LayercakeSettings;
import io.layercake.config.LlmSettings;
import io.layercake.persistence.credits.JournalLedgerAudit;
import io.layercake.persistence.testing.ConversationNode;
import io.layercake.persistence.testing.FreshDatabases;
import io.layercake.persistence.testing.RecordingChannel;
import io.layercake.persistence.testing.ScriptedModel;
import io.layercake.persistence.testing.Sql;
import io.layercake.persistence.testing.TestDatabases;
import io.layercake.persistence.testing.TestNodes;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.llm.ModelFailure;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import io.layercake.runtime.outreach.FollowupSequence;
import io.layercake.runtime.outreach.OutreachSettings;
import io.layercake.runtime.session.Approval;
import io.layercake.runtime.session.ApprovalKind;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.ConversationTimeline;
import io.layercake.runtime.session.DeliveryStatus;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.Profile;
import io.layercake.runtime.session.SessionCommand;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionKey;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.SessionState;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The conversation turn on the real journal and read model: exactly-once ingestion, double
 * texting, credits, fail-open, approvals, human takeover, a crash mid-turn, and a clean ledger
 * audit after all of it. Runs once per database ({@link ConversationTurnH2Test},
 * {@link ConversationTurnPostgresTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@ExtendWith(FreshDatabases.Extension.class)
abstract class ConversationTurnContract {
  private static final Duration APPROVAL_EXPIRY = Duration.ofSeconds(4);
  private static final Duration RESERVATION_TTL = Duration.ofSeconds(2);
  /** Long enough for a test to store two messages while a model call is held open. */
  private static final Duration LLM_TIMEOUT = Duration.ofSeconds(4);

  private DatabaseSettings database;
  private LayercakeSettings settings;
  private final ScriptedModel model = new ScriptedModel();
  private final RecordingChannel channel = new RecordingChannel();
  private ConversationNode node;

  abstract TestDatabases kind();

  @BeforeAll
  void start(FreshDatabases databases, @TempDir Path dir) {
    database = databases.create(kind(), dir);
    LayercakeSettings defaults = TestNodes.settings(dir, database, 20);
    settings = defaults
        .withSessions(defaults.sessions()
            .withApprovalExpiry(APPROVAL_EXPIRY)
            .withHandoffReminder(Duration.ofSeconds(2))
            .withWakes(Duration.ofMillis(300), Duration.ofSeconds(1))
            .withDeliveryRetry(Duration.ofMillis(100), Duration.ofSeconds(1)))
        .withLlm(new LlmSettings(LLM_TIMEOUT, defaults.llm().openai(), defaults.llm().anthropic()))
        // Holds lapse sooner than the approval expiry and the crash below: turns must reserve again, never spend unchecked.
        .withCredits(new CreditSettings(RESERVATION_TTL, Duration.ofMillis(300), 20));
    node = ConversationNode.start(settings, model, channel);
  }

  @AfterAll
  void auditAndStop() {
    try {
      JournalLedgerAudit.Report report = node.ledger().audit().run().toCompletableFuture().join();
      assertThat(report.organizations()).isGreaterThanOrEqualTo(10);
      assertThat(report.violations()).isEmpty();
      // every conversation recorded exactly what the ledger charged it, once the read model caught up
      node.eventually(() -> {
        JournalLedgerAudit.Report settled = node.ledger().audit().run().toCompletableFuture().join();
        assertThat(settled.conversations().differences()).isEmpty();
        assertThat(settled.conversations().compared()).isGreaterThanOrEqualTo(10);
      });
    } finally {
      node.close();
    }
  }

  @Test
  void aReminderAfterWhatsAppsWindowClosedGoesAsTheConfiguredTemplateAndWithoutOneIsDroppedWithTheReason() {
    String agent = agent("reach", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    io.layercake.runtime.channel.MessageTemplate opening = new io.layercake.runtime.channel.MessageTemplate("service_due", "de",
        List.of("Jana", "boiler service"));
    // started by the business: the customer never wrote, so the window was never open
    String withTemplate = reachOut(agent, "reach", "+491510000001", opening);
    // an organization that set no reminder template
    String without = reachOut(agent("reach-bare", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of()),
        "reach-bare", "+491510000002", opening);
    node.eventually(() -> assertThat(channel.messagesTo("+491510000001")).extracting(message -> message.template().name())
        .containsExactly("service_due"));
    assertThat(join(node.conversations().sessions().reachOut(new Profile(withTemplate, "reach", agent, "whatsapp",
        "+491510000001"), "maria", opening))).as("a conversation that exists").isInstanceOf(SessionReply.Rejected.class);

    Sql.update(database, "INSERT INTO outreach_settings (org_id, time_zone, followup_takes_text, reminder_template, reminder_language,"
        + " reminder_takes_text, updated_at) VALUES ('reach', 'UTC', FALSE, 'appointment_reminder', 'de', TRUE, CURRENT_TIMESTAMP)");
    java.time.Instant due = java.time.Instant.now().plusMillis(500);
    join(node.conversations().sessions().arrangeReminder(withTemplate, "appt_1", due, "See you tomorrow at 10:00."));
    join(node.conversations().sessions().arrangeReminder(without, "appt_2", due, "See you tomorrow at 11:00."));
    node.eventually(() -> {
      List<io.layercake.runtime.channel.OutboundMessage> sent = channel.messagesTo("+491510000001");
      assertThat(sent).hasSize(2);
      assertThat(sent.get(1).template().name()).isEqualTo("appointment_reminder");
      assertThat(sent.get(1).template().parameters()).containsExactly("See you tomorrow at 10:00.");
    });
    node.eventually(() -> assertThat(join(node.journal().timeline(without))).filteredOn(step -> step.type().equals("FollowupCancelled"))
        .singleElement().satisfies(step -> assertThat(step.summary()).contains("window is closed", "no reminder template")));
    assertThat(channel.messagesTo("+491510000002")).as("only the opening template").hasSize(1);
    Sql.update(database, "DELETE FROM outreach_settings WHERE org_id = 'reach'");
  }

  @Test
  void aFollowupDueInTheQuietHoursWaitsForTheirEnd() {
    String agent = agent("quiet", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
    String from = now.minusHours(1).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
    String until = now.plusHours(2).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString();
    Sql.update(database, "INSERT INTO outreach_settings (org_id, time_zone, quiet_from, quiet_until, followup_takes_text,"
        + " reminder_takes_text, updated_at) VALUES ('quiet', 'UTC', ?, ?, FALSE, FALSE, CURRENT_TIMESTAMP)", from, until);
    String sessionId = reachOut(agent, "quiet", "+491510000003",
        new io.layercake.runtime.channel.MessageTemplate("service_due", "de", List.of("Jana", "boiler service")));
    join(node.conversations().sessions().arrangeReminder(sessionId, "appt_3", java.time.Instant.now().plusMillis(300), "Tomorrow at 9."));
    node.eventually(() -> assertThat(join(node.journal().timeline(sessionId))).filteredOn(step -> step.type().equals("FollowupCancelled"))
        .singleElement().satisfies(step -> assertThat(step.summary()).contains("quiet hours")));
    List<io.layercake.runtime.session.ConversationTimeline.Step> moved = join(node.journal().timeline(sessionId)).stream()
        .filter(step -> step.type().equals("FollowupScheduled")).toList();
    assertThat(moved).hasSize(2);
    assertThat(moved.get(1).summary()).contains(until);
    assertThat(channel.messagesTo("+491510000003")).as("nothing but the opening template").hasSize(1);
    Sql.update(database, "DELETE FROM outreach_settings WHERE org_id = 'quiet'");
  }

  @Test
  void aSequenceGoesStepByStepChargedPerMessageAndEndsWhenTheCustomerWrites() {
    String agent = agent("seq", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    saveSequence("seq", new FollowupSequence(agent, "quote-chase", FollowupSequence.Trigger.MANUAL, List.of(
        new FollowupSequence.Step("0s", "Any questions about the quote?", null, false),
        new FollowupSequence.Step("1s", "Shall we book it?", null, false),
        new FollowupSequence.Step("1h", "Last call for this price.", null, false)), true, true));
    String contact = "+31677700001";
    String sessionId = sessionId(agent, contact);
    join(receive("seq", agent, contact, "seq-1", "What would a new tap cost?"));
    node.eventually(() -> assertThat(channel.textsTo(contact)).hasSize(1));
    long before = balance("seq").available();

    assertThat(join(node.conversations().sessions().startSequence(sessionId, "quote-chase", "user:u_1")))
        .isInstanceOf(SessionReply.Done.class);
    assertThat(join(node.conversations().sessions().startSequence(sessionId, "quote-chase", "user:u_1")))
        .as("under way already").isInstanceOfSatisfying(SessionReply.Rejected.class,
            rejected -> assertThat(rejected.reason()).isEqualTo(SessionReply.Reason.CONFLICT));
    assertThat(join(node.conversations().sessions().startSequence(sessionId, "nurture", "user:u_1")))
        .as("no such sequence").isInstanceOfSatisfying(SessionReply.Rejected.class,
            rejected -> assertThat(rejected.reason()).isEqualTo(SessionReply.Reason.NOT_FOUND));
    node.eventually(() -> assertThat(channel.textsTo(contact)).endsWith("Any questions about the quote?", "Shall we book it?"));
    node.eventually(() -> assertThat(pendingWork(sessionId)).anyMatch(key -> key.startsWith("followup:seq-") && key.endsWith("/3")));
    assertThat(balance("seq").available()).as("one credit per message sent").isEqualTo(before - 2);

    join(receive("seq", agent, contact, "seq-2", "Not now, thanks"));
    node.eventually(() -> assertThat(join(node.journal().timeline(sessionId))).filteredOn(step -> step.type().equals("SequenceEnded"))
        .singleElement().satisfies(step -> assertThat(step.summary()).contains("quote-chase", "the customer wrote first")));
    node.eventually(() -> assertThat(pendingWork(sessionId)).noneMatch(key -> key.startsWith("followup:seq-")));
    assertThat(channel.textsTo(contact)).doesNotContain("Last call for this price.");
  }

  @Test
  void aTriggeredSequenceEndsOnABookingAnotherOnAnOptOutAndAStepSurvivesARestart() {
    String agent = agent("seqstop", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE,
        List.of("capture_lead", "book_appointment"));
    // written on: only a booking or an opt-out ends it
    saveSequence("seqstop", new FollowupSequence(agent, "nurture", FollowupSequence.Trigger.LEAD_CAPTURED, List.of(
        new FollowupSequence.Step("1h", "Still thinking about it?", null, false)), false, true));
    model.script(agent, request -> {
      String asked = ScriptedModel.answerTo(request);
      if (request.toolRounds().isEmpty() && asked.contains("call me")) {
        return CompletableFuture.completedFuture(ScriptedModel.toolCall("l1", "capture_lead", Map.of("need", "a new boiler")));
      }
      if (request.toolRounds().isEmpty() && asked.contains("book")) {
        return CompletableFuture.completedFuture(ScriptedModel.toolCall("b1", "book_appointment",
            Map.of("requested_time", "Tuesday 10:00", "service", "boiler")));
      }
      return CompletableFuture.completedFuture(ScriptedModel.text("Noted."));
    });
    String booker = "+31677700002";
    join(receive("seqstop", agent, booker, "ss-1", "I need a boiler, call me"));
    String booking = sessionId(agent, booker);
    node.eventually(() -> assertThat(join(node.journal().timeline(booking))).filteredOn(step -> step.type().equals("SequenceStarted"))
        .singleElement().satisfies(step -> assertThat(step.summary()).contains("nurture", "lead_captured")));
    join(receive("seqstop", agent, booker, "ss-2", "Thanks"));
    node.eventually(() -> assertThat(channel.textsTo(booker)).hasSize(2));
    node.eventually(() -> assertThat(pendingWork(booking)).as("a reply does not end it").anyMatch(key -> key.startsWith("followup:seq-")));
    join(receive("seqstop", agent, booker, "ss-3", "Please book me for Tuesday"));
    node.eventually(() -> assertThat(join(node.journal().timeline(booking))).filteredOn(step -> step.type().equals("SequenceEnded"))
        .singleElement().satisfies(step -> assertThat(step.summary()).contains("the customer booked")));

    // SMS: STOP ends it
    String texter = "+31677700003";
    join(node.conversations().sessions().receive(new InboundMessage("seqstop", agent, "sms", texter, "ss-4", "Quote please, call me")));
    String sms = new SessionKey(agent, "sms", texter).sessionId();
    node.eventually(() -> assertThat(pendingWork(sms)).anyMatch(key -> key.startsWith("followup:seq-")));
    join(node.conversations().sessions().receive(new InboundMessage("seqstop", agent, "sms", texter, "ss-5", "STOP")));
    node.eventually(() -> assertThat(join(node.journal().timeline(sms))).filteredOn(step -> step.type().equals("SequenceEnded"))
        .singleElement().satisfies(step -> assertThat(step.summary()).contains("opted out")));

    // a step due while no node runs goes out on the next one, once
    saveSequence("seqstop", new FollowupSequence(agent, "check-in", FollowupSequence.Trigger.MANUAL, List.of(
        new FollowupSequence.Step("3s", "Checking in: all well with the boiler?", null, false)), true, false));
    assertThat(join(node.conversations().sessions().startSequence(booking, "check-in", "user:u_1"))).isInstanceOf(SessionReply.Done.class);
    node.close();
    node = ConversationNode.start(settings, model, channel);
    node.eventually(() -> assertThat(channel.textsTo(booker)).last().isEqualTo("Checking in: all well with the boiler?"));
    node.eventually(() -> assertThat(join(node.journal().timeline(booking))).filteredOn(step -> step.type().equals("SequenceEnded"))
        .last().satisfies(step -> assertThat(step.summary()).contains("check-in", "all 1 steps went")));
    assertThat(channel.textsTo(booker)).filteredOn(text -> text.startsWith("Checking in")).hasSize(1);
  }

  @Test
  void aSequenceStepOutsideWhatsAppsWindowGoesAsItsTemplate() {
    String agent = agent("seqwin", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    saveSequence("seqwin", new FollowupSequence(agent, "service-due", FollowupSequence.Trigger.MANUAL, List.of(
        new FollowupSequence.Step("0s", "Your boiler service is due.", new OutreachSettings.TemplateChoice("service_due", "de", true), false)),
        true, true));
    String sessionId = reachOut(agent, "seqwin", "+491510000010",
        new io.layercake.runtime.channel.MessageTemplate("hello", "de", List.of()));
    assertThat(join(node.conversations().sessions().startSequence(sessionId, "service-due", "user:u_1"))).isInstanceOf(SessionReply.Done.class);
    node.eventually(() -> assertThat(channel.messagesTo("+491510000010")).hasSize(2).last().satisfies(message -> {
      assertThat(message.template().name()).isEqualTo("service_due");
      assertThat(message.template().parameters()).containsExactly("Your boiler service is due.");
    }));
  }

  @Test
  void aReviewRequestFollowsABookingOncePerCustomerAndPeriodWithATrackedLinkAndWaitsOutQuietHours() {
    Sql.update(database, "INSERT INTO outreach_settings (org_id, time_zone, followup_takes_text, reminder_takes_text, review_link,"
        + " review_delay, review_period_days, review_text, updated_at) VALUES ('rev', 'UTC', FALSE, FALSE,"
        + " 'https://g.page/r/schmidt/review', '1s', 30, 'How did we do? {link}', CURRENT_TIMESTAMP)");
    String first = agent("rev", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of("book_appointment"));
    String second = agent("rev", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of("book_appointment"));
    model.script(first, bookingThenAnswer());
    model.script(second, bookingThenAnswer());
    String contact = "+31677700004";
    long before = balance("rev").available();
    join(receive("rev", first, contact, "rev-1", "Can you come Tuesday?"));
    node.eventually(() -> assertThat(channel.textsTo(contact)).anyMatch(text -> text.startsWith("How did we do? ")));
    String link = channel.textsTo(contact).stream().filter(text -> text.startsWith("How did we do? ")).findFirst().orElseThrow()
        .substring("How did we do? ".length());
    assertThat(link).startsWith(settings.http().publicBaseUrl().replaceAll("/+$", "") + "/r/");
    io.layercake.persistence.outreach.JdbcReviewLinks links =
        new io.layercake.persistence.outreach.JdbcReviewLinks(node.database(), settings.http()::publicBaseUrl);
    String token = link.substring(link.lastIndexOf('/') + 1);
    assertThat(join(links.follow(token, java.time.Instant.now()))).contains("https://g.page/r/schmidt/review");
    assertThat(join(links.follow(token, java.time.Instant.now()))).as("followed twice, one click counted per request").isPresent();
    assertThat(join(links.follow("unknown", java.time.Instant.now()))).isEmpty();

    // the same customer books with the client's other agent: not asked again within 30 days
    join(receive("rev", second, contact, "rev-2", "And the other boiler too?"));
    String again = sessionId(second, contact);
    node.eventually(() -> assertThat(join(node.journal().timeline(again))).filteredOn(step -> step.type().equals("FollowupCancelled"))
        .singleElement().satisfies(step -> assertThat(step.summary()).contains("asked for a review within the period")));
    assertThat(channel.textsTo(contact)).filteredOn(text -> text.startsWith("How did we do?")).hasSize(1);
    assertThat(join(links.rates(List.of("rev"), java.time.Instant.now().minus(Duration.ofDays(1)))))
        .containsExactly(new io.layercake.runtime.outreach.ReviewLinks.Rate("rev", 1, 1));
    // two replies, two bookings (tool calls) and one review request
    assertThat(balance("rev").available()).isEqualTo(before - 2 - 2 - 1);

    // in quiet hours the request waits for their end
    java.time.LocalTime now = java.time.LocalTime.now(java.time.ZoneOffset.UTC);
    Sql.update(database, "UPDATE outreach_settings SET quiet_from = ?, quiet_until = ? WHERE org_id = 'rev'",
        now.minusHours(1).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString(),
        now.plusHours(2).truncatedTo(java.time.temporal.ChronoUnit.MINUTES).toString());
    String other = "+31677700005";
    join(receive("rev", first, other, "rev-3", "Tuesday for me too?"));
    String quiet = sessionId(first, other);
    node.eventually(() -> assertThat(join(node.journal().timeline(quiet))).filteredOn(step -> step.type().equals("FollowupCancelled"))
        .singleElement().satisfies(step -> assertThat(step.summary()).contains("quiet hours")));
    assertThat(channel.textsTo(other)).noneMatch(text -> text.startsWith("How did we do?"));
    Sql.update(database, "DELETE FROM outreach_settings WHERE org_id = 'rev'");
  }

  @Test
  void aWebchatReplyStreamsAsItIsWrittenIsRecordedOnceWholeAndAStreamCutByANodeStopEndsInOneReply() throws InterruptedException {
    String agent = agent("stream", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    model.script(agent, request -> {
      request.stream().delta("We open ");
      request.stream().delta("at eight.");
      return CompletableFuture.completedFuture(ScriptedModel.text("We open at eight."));
    });
    String visitor = "visitor-stream-1";
    String sessionId = new SessionKey(agent, "webchat", visitor).sessionId();
    join(node.conversations().sessions().receive(new InboundMessage("stream", agent, "webchat", visitor, "st-1", "When do you open?")));
    node.eventually(() -> assertThat(channel.textsTo(visitor)).containsExactly("We open at eight."));
    assertThat(channel.streamedTo(sessionId)).extracting(piece -> piece.substring(piece.indexOf('|') + 1))
        .containsExactly("We open ", "at eight.");

    // WhatsApp cannot show a reply growing: the model is not asked to stream there
    join(receive("stream", agent, "+31677700009", "st-2", "And on Sunday?"));
    node.eventually(() -> assertThat(channel.textsTo("+31677700009")).containsExactly("We open at eight."));
    assertThat(channel.streamedTo(sessionId(agent, "+31677700009"))).isEmpty();

    // the node stops while the reply is half written; the next node answers once, whole
    CountDownLatch halfWritten = new CountDownLatch(1);
    model.script(agent, request -> {
      request.stream().delta("Half a rep");
      halfWritten.countDown();
      return new CompletableFuture<>();
    });
    join(node.conversations().sessions().receive(new InboundMessage("stream", agent, "webchat", visitor, "st-3", "Do you work Saturdays?")));
    assertThat(halfWritten.await(ConversationNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    node.close();
    model.script(agent, request -> {
      request.stream().delta("Yes, until noon.");
      return CompletableFuture.completedFuture(ScriptedModel.text("Yes, until noon."));
    });
    node = ConversationNode.start(settings, model, channel);
    node.eventually(() -> assertThat(channel.textsTo(visitor)).containsExactly("We open at eight.", "Yes, until noon."));
    node.eventually(() -> assertThat(join(node.journal().timeline(sessionId))).filteredOn(step -> step.type().equals("AgentReplied"))
        .hasSize(2));
    List<String> pieces = channel.streamedTo(sessionId);
    String cut = pieces.stream().filter(piece -> piece.endsWith("|Half a rep")).findFirst().orElseThrow();
    String whole = pieces.get(pieces.size() - 1);
    assertThat(whole).endsWith("|Yes, until noon.");
    assertThat(whole.substring(0, whole.indexOf('|'))).as("the next node's stream is another one")
        .startsWith("2-").isNotEqualTo(cut.substring(0, cut.indexOf('|')));
  }

  private void saveSequence(String orgId, FollowupSequence sequence) {
    assertThat(sequence.problem()).isEmpty();
    join(new io.layercake.persistence.outreach.JdbcFollowupSequences(node.database()).save(orgId, sequence, java.time.Instant.now()));
  }

  private String reachOut(String agent, String orgId, String contact, io.layercake.runtime.channel.MessageTemplate template) {
    String sessionId = new SessionKey(agent, "whatsapp", contact).sessionId();
    assertThat(join(node.conversations().sessions().reachOut(new Profile(sessionId, orgId, agent, "whatsapp", contact),
        "maria", template))).isInstanceOf(SessionReply.Done.class);
    return sessionId;
  }

  @Test
  void aDuplicateProviderIdIsRecordedAnsweredAndChargedOnce() {
    String agent = agent("dup", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());

    SessionReply first = join(receive("dup", agent, "+31600000001", "wamid.1", "Do you fix boilers?"));
    List<SessionReply> retries = List.of(
        join(receive("dup", agent, "+31600000001", "wamid.1", "Do you fix boilers?")),
        join(receive("dup", agent, "+31600000001", "wamid.1", "Do you fix boilers?")));
    List<SessionReply> concurrent = allOf(List.of(
        receive("dup", agent, "+31600000002", "wamid.2", "Hello?"),
        receive("dup", agent, "+31600000002", "wamid.2", "Hello?"),
        receive("dup", agent, "+31600000002", "wamid.2", "Hello?")));

    assertThat(first).isEqualTo(new SessionReply.Received(sessionId(agent, "+31600000001"), false));
    assertThat(retries).containsOnly(new SessionReply.Received(sessionId(agent, "+31600000001"), true));
    assertThat(concurrent).extracting(reply -> ((SessionReply.Received) reply).duplicate())
        .containsExactlyInAnyOrder(false, true, true);
    node.eventually(() -> {
      assertThat(channel.textsTo("+31600000001")).containsExactly("Answer to: Do you fix boilers?");
      assertThat(channel.textsTo("+31600000002")).containsExactly("Answer to: Hello?");
      assertThat(balance("dup").available()).isEqualTo(98);
      assertThat(balance("dup").openReservations()).isZero();
    });
    assertThat(customerMessages(sessionId(agent, "+31600000001"))).containsExactly("Do you fix boilers?");
    assertThat(model.requestsFor(agent)).hasSize(2);
    node.eventually(() -> assertThat(messages(sessionId(agent, "+31600000001")))
        .extracting(ConversationListing.MessageRecord::direction, ConversationListing.MessageRecord::deliveryStatus)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("inbound", null),
            org.assertj.core.groups.Tuple.tuple("outbound", "sent")));
  }

  /** The API waits for {@code message_count} to reach the entity's count, and pages back from the newest. */
  @Test
  void theReadModelCountsWhatTheConversationRecordedAndPagesBackFromTheNewest() {
    String agent = agent("pages", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    String sessionId = sessionId(agent, "+31600000090");
    for (int i = 1; i <= 3; i++) {
      join(receive("pages", agent, "+31600000090", "wamid.page-" + i, "Question " + i));
      int answers = i;
      node.eventually(() -> assertThat(channel.textsTo("+31600000090")).hasSize(answers));
    }

    node.eventually(() -> {
      assertThat(view(sessionId).messageCount()).isEqualTo(6);
      assertThat(conversation(sessionId).messageCount()).isEqualTo(view(sessionId).messageCount());
    });
    List<ConversationListing.MessageRecord> newest =
        join(node.conversations().listing().messagesBefore(sessionId, Long.MAX_VALUE, 2));
    assertThat(newest).extracting(ConversationListing.MessageRecord::text)
        .containsExactly("Question 3", "Answer to: Question 3");
    List<ConversationListing.MessageRecord> older =
        join(node.conversations().listing().messagesBefore(sessionId, newest.get(0).sequence(), 10));
    assertThat(older).extracting(ConversationListing.MessageRecord::text).containsExactly(
        "Question 1", "Answer to: Question 1", "Question 2", "Answer to: Question 2");
  }

  /**
   * No window: the first message is answered at once. Messages that arrive before the model answered
   * join the turn under coalesce and interrupt (the model starts over with all of them, one reply,
   * one charge) and wait their own turns under queue. Independent of timing: the model is held.
   */
  @Test
  void messagesArrivingBeforeTheModelAnsweredJoinTheTurnUnderCoalesceAndInterruptAndWaitUnderQueue() {
    String coalescing = agent("busy", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.COALESCE, List.of());
    String interrupting = agent("busy", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.INTERRUPT, List.of());
    String queueing = agent("busy", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    Map<String, String> contacts = Map.of(coalescing, "+31611111112", interrupting, "+31644444445", queueing, "+31622222223");

    for (String agent : List.of(coalescing, interrupting, queueing)) {
      String contact = contacts.get(agent);
      boolean joins = !agent.equals(queueing);
      CompletableFuture<Void> release = new CompletableFuture<>();
      model.script(agent, request -> release.thenApply(done -> ScriptedModel.text(answerIgnoringNotes(request))));
      join(receive("busy", agent, contact, agent + "-1", "first"));
      node.eventually(() -> assertThat(model.requestsFor(agent)).hasSize(1));
      join(receive("busy", agent, contact, agent + "-2", "second"));
      node.eventually(() -> assertThat(model.requestsFor(agent)).hasSize(joins ? 2 : 1));
      join(receive("busy", agent, contact, agent + "-3", "third"));
      node.eventually(() -> assertThat(model.requestsFor(agent)).hasSize(joins ? 3 : 1));
      release.complete(null);
    }

    node.eventually(() -> {
      assertThat(channel.textsTo("+31611111112")).containsExactly("Answer to: first + second + third");
      assertThat(channel.textsTo("+31644444445")).containsExactly("Answer to: first + second + third");
      assertThat(channel.textsTo("+31622222223")).containsExactly("Answer to: first", "Answer to: second", "Answer to: third");
      assertThat(balance("busy").available()).isEqualTo(100 - 1 - 1 - 3);
      assertThat(balance("busy").openReservations()).isZero();
    });
    assertThat(model.requestsFor(coalescing)).hasSize(3);
    assertThat(notes(model.requestsFor(coalescing).get(2))).isEmpty();
    assertThat(notes(model.requestsFor(interrupting).get(2)))
        .containsExactly("The customer wrote again before you answered: answer their latest message.");
    assertThat(model.requestsFor(queueing)).hasSize(3);
  }

  /** "Answer to: a + b" for the customer's messages since the last message of the agent or a person; notes do not count. */
  private static String answerIgnoringNotes(ModelRequest request) {
    List<String> since = new java.util.ArrayList<>();
    for (ConversationMessage message : request.prompt().messages()) {
      if (message.role() == ConversationMessage.Role.CUSTOMER) {
        since.add(message.text());
      } else if (message.role() != ConversationMessage.Role.NOTE) {
        since.clear();
      }
    }
    return "Answer to: " + String.join(" + ", since);
  }

  private static List<String> notes(ModelRequest request) {
    return request.prompt().messages().stream()
        .filter(message -> message.role() == ConversationMessage.Role.NOTE)
        .map(ConversationMessage::text)
        .toList();
  }

  @Test
  void withoutCreditsTheUnavailableMessageGoesOutFreeAndTheOrgIsNotified() {
    open("broke", 0);
    String agent = agent("broke", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());

    join(receive("broke", agent, "+31633333333", "broke-1", "Are you open?"));

    node.eventually(() -> {
      assertThat(channel.textsTo("+31633333333")).containsExactly("We are closed for messages right now.");
      assertThat(Sql.strings(database, "SELECT payload FROM notifications WHERE org_id = ? AND kind = 'credits.exhausted'", "broke"))
          .singleElement().asString().contains(sessionId(agent, "+31633333333"));
      assertThat(conversation(sessionId(agent, "+31633333333")).creditsExhausted()).isTrue();
    });
    assertThat(model.requestsFor(agent)).isEmpty();
    assertThat(balance("broke").totals().committed()).isZero();
    assertThat(view(sessionId(agent, "+31633333333")).creditsExhausted()).isTrue();
  }

  @Test
  void aClientsEventsReachItsAgencysSubscriptionsEvenWhenTheDirectoryLearnsOfTheClientLate() {
    open("late-agency", 0);
    Sql.update(database, "INSERT INTO webhook_subscriptions (subscription_id, org_id, url, secret, event_types, created_at)"
        + " VALUES ('wh_late', 'late-agency', 'https://agency.example/hooks', 'secret', '*', CURRENT_TIMESTAMP)");
    String agentId = "late-client-agent";
    AgentConfig config = new AgentConfig("late-client", agentId, "A friendly plumber's assistant.", List.of(), List.of(),
        AgentConfig.Autonomy.AUTONOMOUS, List.of(), AgentConfig.ModelChoice.LOCAL, "We are closed for messages right now.", null,
        List.of("en"), null, AgentConfig.DoubleTexting.QUEUE);
    assertThat(join(node.agents().create(agentId, config))).isInstanceOf(AgentEntity.Agent.class);

    // The client's first events are projected while the directory has no row for the client yet.
    LoggingTestKit.info("is not in the directory yet").withMessageContains("late-client")
        .expect(node.system(), () -> join(receive("late-client", agentId, "+31616161616", "late-1", "Hello?")));
    assertThat(join(node.ledger().organizations().open("late-client", "Late client", "pro", "late-agency")))
        .isInstanceOf(OrgEntity.Accepted.class);

    node.eventually(() -> {
      assertThat(Sql.strings(database, "SELECT e.type FROM webhook_deliveries d JOIN webhook_events e ON e.event_id = d.event_id"
          + " WHERE d.subscription_id = 'wh_late'")).contains("conversation.started", "message.received");
      assertThat(Sql.strings(database, "SELECT DISTINCT parent_org_id FROM webhook_events WHERE org_id = 'late-client'"))
          .containsExactly("late-agency");
    });
  }

  @Test
  void aModelTimeoutSendsAnApologyReleasesTheCreditsAndHandsOverToPeople() {
    String agent = agent("slow", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    model.script(agent, request -> new CompletableFuture<>());

    join(receive("slow", agent, "+31644444444", "slow-1", "Hello?"));

    String sessionId = sessionId(agent, "+31644444444");
    node.eventually(() -> {
      assertThat(channel.textsTo("+31644444444")).containsExactly(
          "Sorry, I can't answer that right now. A person from the team will get back to you soon.");
      SessionReply.ConversationView view = view(sessionId);
      assertThat(view.status()).isEqualTo(SessionState.Status.HANDED_OFF);
      assertThat(view.turnInProgress()).isNull();
      assertThat(balance("slow").available()).isEqualTo(100);
      assertThat(balance("slow").openReservations()).isZero();
      assertThat(Sql.strings(database, "SELECT kind FROM notifications WHERE org_id = ? ORDER BY id", "slow"))
          .startsWith("conversation.turn_failed", "conversation.handed_off");
    });
    node.eventually(() -> assertThat(Sql.strings(database, "SELECT kind FROM notifications WHERE org_id = ? ORDER BY id", "slow"))
        .as("nobody answered within the hand-off reminder").containsExactly(
            "conversation.turn_failed", "conversation.handed_off", "conversation.handoff_unanswered"));
  }

  @Test
  void aModelCallTheBusyNodeCouldNotPlaceIsAskedAgainAndAnsweredOnceWithoutAnApology() {
    String agent = agent("crowded", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    model.script(agent, request -> calls.incrementAndGet() <= 2
        ? CompletableFuture.failedFuture(new ModelFailure(ModelFailure.Kind.BUSY, "no place for the model call within 60 s", null))
        : CompletableFuture.completedFuture(ScriptedModel.text("We are open from 8.")));
    String contact = "+31677770001";

    join(receive("crowded", agent, contact, "crowded-1", "When do you open?"));

    String sessionId = sessionId(agent, contact);
    node.eventually(() -> {
      assertThat(channel.textsTo(contact)).containsExactly("We are open from 8.");
      SessionReply.ConversationView view = view(sessionId);
      assertThat(view.status()).as("still the agent's").isEqualTo(SessionState.Status.ACTIVE);
      assertThat(view.turnInProgress()).isNull();
    });
    assertThat(calls.get()).as("asked twice more after the busy answers").isEqualTo(3);
    assertThat(join(node.journal().timeline(sessionId))).extracting(ConversationTimeline.Step::type)
        .doesNotContain("TurnFailed", "HandedOff");
  }

  @Test
  void underDraftAutonomyEveryReplyWaitsForAPersonWhoMayRejectIt() {
    String agent = agent("draft", AgentConfig.Autonomy.DRAFT, AgentConfig.DoubleTexting.QUEUE, List.of());
    model.script(agent, request -> CompletableFuture.completedFuture(ScriptedModel.text(
        request.prompt().messages().stream().anyMatch(m -> m.role() == ConversationMessage.Role.NOTE)
            ? "We can come Tuesday morning." : "We can come whenever!")));
    String contact = "+31613131313";
    String sessionId = sessionId(agent, contact);

    join(receive("draft", agent, contact, "d-1", "When can you come?"));
    Approval first = awaitApproval(sessionId);
    assertThat(first.kind()).isEqualTo(ApprovalKind.REPLY);
    assertThat(first.draft()).isEqualTo("We can come whenever!");
    join(node.conversations().sessions().decide(sessionId, first.approvalId(), false, "maria"));

    node.eventually(() -> assertThat(view(sessionId).pendingApprovals()).extracting(Approval::draft)
        .containsExactly("We can come Tuesday morning."));
    Approval second = view(sessionId).pendingApprovals().get(0);
    join(node.conversations().sessions().decide(sessionId, second.approvalId(), true, "maria"));

    node.eventually(() -> {
      assertThat(channel.textsTo(contact)).containsExactly(
          "Thanks! I've passed this on to the team to confirm; we'll get back to you shortly.", "We can come Tuesday morning.");
      assertThat(balance("draft").available()).isEqualTo(99);
    });
    // the approved draft is recorded with the model that wrote it
    assertThat(join(node.journal().timeline(sessionId))).filteredOn(step -> step.type().equals("AgentReplied"))
        .singleElement()
        .satisfies(step -> {
          assertThat(step.summary()).contains("scripted/scripted-1").contains("We can come Tuesday morning.");
          assertThat(step.details()).containsEntry("provider", "scripted").containsEntry("model", "scripted-1")
              .containsEntry("inputTokens", 10L).containsEntry("outputTokens", 5L);
        });
  }

  @Test
  void aConversationStoppedWhileSendingRecordsTheSendBeforeStoppingAndNeverSendsItTwice() {
    String agent = agent("handover", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    String contact = "+31615151515";
    String sessionId = sessionId(agent, contact);
    java.util.concurrent.CompletableFuture<Void> provider = channel.holdSendsTo(contact);
    join(receive("handover", agent, contact, "ho-1", "hello"));
    node.eventually(() -> assertThat(channel.attemptsTo(contact)).isEqualTo(1));
    var sharding = org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding.get(node.system());

    sharding.entityRefFor(SessionEntity.TYPE_KEY, sessionId).tell(SessionCommand.Stop.INSTANCE);
    provider.complete(null);

    node.eventually(() -> assertThat(liveSessions(sharding)).doesNotContain(sessionId));
    assertThat(view(sessionId).outbox()).as("recorded before it stopped").extracting(SessionState.Outbound::status)
        .containsExactly(DeliveryStatus.SENT);
    view(sessionId);
    assertThat(channel.attemptsTo(contact)).as("the next incarnation found the message sent").isEqualTo(1);
    assertThat(channel.textsTo(contact)).containsExactly("Answer to: hello");
  }

  private java.util.Set<String> liveSessions(org.apache.pekko.cluster.sharding.typed.javadsl.ClusterSharding sharding) {
    org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState state = join(
        org.apache.pekko.actor.typed.javadsl.AskPattern.<org.apache.pekko.cluster.sharding.typed.ClusterShardingQuery,
            org.apache.pekko.cluster.sharding.ShardRegion.CurrentShardRegionState>ask(sharding.shardState(),
            replyTo -> new org.apache.pekko.cluster.sharding.typed.GetShardRegionState(SessionEntity.TYPE_KEY, replyTo),
            java.time.Duration.ofSeconds(5), node.system().scheduler()));
    java.util.Set<String> ids = new java.util.HashSet<>();
    state.getShards().forEach(shard -> ids.addAll(shard.getEntityIds()));
    return ids;
  }

  @Test
  void deliveryReceiptsUpdateTheMessageAndNeverMoveItBackwards() {
    String agent = agent("receipts", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    String contact = "+31614141414";
    String sessionId = sessionId(agent, contact);
    join(receive("receipts", agent, contact, "rc-1", "hello"));
    node.eventually(() -> assertThat(view(sessionId).outbox()).extracting(SessionState.Outbound::status)
        .containsExactly(DeliveryStatus.SENT));
    String providerId = view(sessionId).outbox().get(0).providerMessageId();
    var sessions = node.conversations().sessions();

    join(sessions.deliveryReceipt(sessionId, providerId, DeliveryStatus.READ, null));
    join(sessions.deliveryReceipt(sessionId, providerId, DeliveryStatus.DELIVERED, null));
    SessionReply unknown = join(sessions.deliveryReceipt(sessionId, "nope", DeliveryStatus.READ, null));

    assertThat(view(sessionId).outbox()).extracting(SessionState.Outbound::status).containsExactly(DeliveryStatus.READ);
    assertThat(unknown).isInstanceOf(SessionReply.Rejected.class);
    node.eventually(() -> assertThat(messages(sessionId)).extracting(ConversationListing.MessageRecord::deliveryStatus)
        .containsExactly(null, "read"));
  }

  @Test
  void aSupervisedBookingWaitsForApprovalAndRunsOnceApproved() {
    String agent = agent("book", AgentConfig.Autonomy.SUPERVISED, AgentConfig.DoubleTexting.QUEUE, List.of("book_appointment"));
    model.script(agent, bookingThenAnswer());

    join(receive("book", agent, "+31655555555", "book-1", "Can you come Tuesday at 10 for the boiler?"));
    String sessionId = sessionId(agent, "+31655555555");
    Approval approval = awaitApproval(sessionId);
    assertThat(approval.kind()).isEqualTo(ApprovalKind.TOOL);
    assertThat(approval.arguments()).containsEntry("requested_time", "Tuesday 10:00");
    node.eventually(() -> assertThat(channel.textsTo("+31655555555")).containsExactly(
        "Thanks! I've passed this on to the team to confirm; we'll get back to you shortly."));

    assertThat(join(node.conversations().sessions().decide(sessionId, approval.approvalId(), true, "maria@plumber.example")))
        .isInstanceOf(SessionReply.Done.class);

    node.eventually(() -> {
      assertThat(channel.textsTo("+31655555555")).hasSize(2).last().asString().startsWith("Done: The booking request");
      assertThat(join(node.conversations().listing().bookingRequests("book", 10)))
          .extracting(ConversationListing.BookingRequest::requestedTime, ConversationListing.BookingRequest::service)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("Tuesday 10:00", "boiler service"));
      assertThat(balance("book").available()).isEqualTo(98);
    });
    assertThat(join(node.conversations().sessions().decide(sessionId, approval.approvalId(), true, "maria@plumber.example")))
        .isInstanceOf(SessionReply.Rejected.class);

    List<io.layercake.runtime.session.ConversationTimeline.Step> timeline = join(node.journal().timeline(sessionId));
    assertThat(timeline).extracting(io.layercake.runtime.session.ConversationTimeline.Step::type).containsSubsequence(
        "ConversationStarted", "MessageReceived", "TurnStarted", "ApprovalRequested", "ReplyQueued", "ApprovalDecided", "ToolRan",
        "AgentReplied", "TurnSettled");
    assertThat(timeline).filteredOn(step -> step.type().equals("ApprovalDecided")).singleElement()
        .satisfies(step -> assertThat(step.summary()).contains("approved by maria@plumber.example"));
    assertThat(timeline).filteredOn(step -> step.type().equals("ToolRan")).singleElement()
        .satisfies(step -> assertThat(step.details()).containsKey("arguments"));
    assertThat(join(node.journal().events("Session|" + sessionId, 0, Long.MAX_VALUE)))
        .allSatisfy(event -> assertThat(event.tags()).containsExactly(SessionEntity.tagFor(sessionId)));
  }

  @Test
  void anApprovalNobodyDecidesExpiresAsRejectedAndTheModelIsTold() {
    String agent = agent("expire", AgentConfig.Autonomy.SUPERVISED, AgentConfig.DoubleTexting.QUEUE, List.of("book_appointment"));
    model.script(agent, bookingThenAnswer());

    join(receive("expire", agent, "+31666666666", "expire-1", "Tuesday at 10 please"));
    String sessionId = sessionId(agent, "+31666666666");
    awaitApproval(sessionId);

    node.eventually(() -> {
      assertThat(channel.textsTo("+31666666666")).hasSize(2).last().asString()
          .startsWith("Done: The business did not approve this request in time");
      assertThat(view(sessionId).pendingApprovals()).isEmpty();
      assertThat(balance("expire").available()).isEqualTo(99);
    });
    node.eventually(() -> assertThat(messages(sessionId)).extracting(ConversationListing.MessageRecord::text)
        .as("projected up to the last reply, so a booking would be listed by now").last().asString()
        .startsWith("Done: The business did not approve"));
    assertThat(join(node.conversations().listing().bookingRequests("expire", 10))).isEmpty();
    node.eventually(() -> assertThat(Sql.longs(database,
            "SELECT COUNT(*) FROM credit_transactions WHERE org_id = ? AND kind = 'reservation_expired'", "expire"))
        .as("the first hold lapsed during the wait; the turn went on under a new one").containsExactly(1L));
  }

  @Test
  void peopleOwnAConversationUntilTheyHandItBackAndTheModelSeesTheMarker() {
    String agent = agent("human", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    String contact = "+31677777777";
    String sessionId = sessionId(agent, contact);
    join(receive("human", agent, contact, "h-1", "Hi"));
    node.eventually(() -> assertThat(channel.textsTo(contact)).containsExactly("Answer to: Hi"));

    assertThat(join(node.conversations().sessions().sendAsHuman(sessionId, "maria@plumber.example", "Maria here, I'll help you.")))
        .isInstanceOf(SessionReply.Done.class);
    join(receive("human", agent, contact, "h-2", "Thanks Maria, is 3pm ok?"));
    node.eventually(() -> {
      assertThat(channel.textsTo(contact)).containsExactly("Answer to: Hi", "Maria here, I'll help you.");
      assertThat(view(sessionId).owner()).isEqualTo("maria@plumber.example");
      assertThat(customerMessages(sessionId)).containsExactly("Hi", "Thanks Maria, is 3pm ok?");
    });
    assertThat(model.requestsFor(agent)).hasSize(1);

    join(node.conversations().sessions().handBack(sessionId, "maria@plumber.example"));
    join(receive("human", agent, contact, "h-3", "One more question"));

    node.eventually(() -> assertThat(channel.textsTo(contact)).hasSize(3).last().isEqualTo("Answer to: One more question"));
    ModelRequest last = model.requestsFor(agent).get(1);
    assertThat(last.prompt().messages()).extracting(ConversationMessage::role).containsSubsequence(
        ConversationMessage.Role.HUMAN, ConversationMessage.Role.CUSTOMER, ConversationMessage.Role.NOTE,
        ConversationMessage.Role.CUSTOMER);
    assertThat(last.prompt().messages()).anyMatch(message -> message.text().contains("human stretch ended"));
    node.eventually(() -> assertThat(conversation(sessionId).status()).isEqualTo("active"));
  }

  @Test
  void leadsAreRecordedAndAFollowupIsCancelledWhenTheCustomerWritesFirst() {
    String agent = agent("lead", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE,
        List.of("capture_lead", "schedule_followup"));
    model.script(agent, request -> {
      if (request.toolRounds().isEmpty() && ScriptedModel.answerTo(request).contains("call me")) {
        return CompletableFuture.completedFuture(new ModelReply("", List.of(
            new ModelReply.ToolCallRequest("t1", "capture_lead", Map.of("name", "Ann", "phone", "+31688888888", "need", "leaking tap")),
            new ModelReply.ToolCallRequest("t2", "schedule_followup", Map.of("delay", "2h", "text", "Still leaking?"))),
            ModelReply.TokenUsage.NONE, "scripted", "scripted-1"));
      }
      return CompletableFuture.completedFuture(ScriptedModel.text(ScriptedModel.answerTo(request)));
    });
    String contact = "+31688888888";
    String sessionId = sessionId(agent, contact);

    join(receive("lead", agent, contact, "l-1", "My tap leaks, call me"));
    node.eventually(() -> {
      assertThat(channel.textsTo(contact)).hasSize(1);
      assertThat(join(node.conversations().listing().leads("lead", 10)))
          .extracting(ConversationListing.Lead::name, ConversationListing.Lead::need)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("Ann", "leaking tap"));
      assertThat(pendingWork(sessionId)).singleElement().asString().startsWith("followup:");
      assertThat(balance("lead").available()).isEqualTo(97);
    });

    join(receive("lead", agent, contact, "l-2", "Fixed it myself"));
    node.eventually(() -> {
      assertThat(channel.textsTo(contact)).hasSize(2);
      assertThat(pendingWork(sessionId)).isEmpty();
      assertThat(Sql.strings(database, "SELECT wake_at FROM conversations WHERE session_id = ?", sessionId)).containsOnlyNulls();
    });
  }

  @Test
  void aRetryableDeliveryFailureIsRetriedAndRepliesGoOutInOrder() {
    String agent = agent("retry", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    String contact = "+31699999999";
    channel.failNext(2);

    join(receive("retry", agent, contact, "r-1", "first"));
    join(receive("retry", agent, contact, "r-2", "second"));

    node.eventually(() -> {
      assertThat(channel.textsTo(contact)).containsExactly("Answer to: first", "Answer to: second");
      assertThat(view(sessionId(agent, contact)).outbox()).extracting(SessionState.Outbound::status)
          .containsOnly(DeliveryStatus.SENT);
    });
  }

  /**
   * The node stops while the model works on a message; a new node on the same database picks the
   * conversation up (the waker) and answers it once, charged once.
   */
  @Test
  void aCrashMidTurnIsAnsweredOnceAndChargedOnceAfterRecovery(@TempDir Path otherDir) throws InterruptedException {
    String agent = agent("crash", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    String contact = "+31612121212";
    restartWhileTheModelAnswers("crash", agent, contact, "crash-1", "Is anyone there?");

    node.eventually(() -> {
      assertThat(channel.textsTo(contact)).containsExactly("Answer to: Is anyone there?");
      assertThat(balance("crash").available()).isEqualTo(99);
      assertThat(balance("crash").openReservations()).isZero();
    });
    assertThat(model.requestsFor(agent)).as("one call before the crash, one after").hasSize(2);
  }

  /**
   * A conversation holding a credit lease stops mid-turn with the node: the next node finishes the
   * turn (on the lease, or charging the lapsed lease late and reserving anew) and the lease goes
   * back; both turns are charged once, and the conversation owes nothing afterwards.
   */
  @Test
  void aConversationStoppedMidTurnOnItsLeaseIsChargedOnceForEveryTurnAfterRecovery() throws InterruptedException {
    open("leased", 10_000); // a pool large enough to lend a lease of several turns (a hundredth of it)
    String agent = agent("leased", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of());
    String contact = "+31617171717";
    String sessionId = sessionId(agent, contact);
    join(receive("leased", agent, contact, "lease-1", "Hello?"));
    node.eventually(() -> assertThat(channel.textsTo(contact)).containsExactly("Answer to: Hello?"));
    assertThat(view(sessionId).creditsUsed()).isEqualTo(1);
    assertThat(join(node.journal().timeline(sessionId))).filteredOn(step -> step.type().equals("TurnSettled"))
        .singleElement().satisfies(step -> assertThat(step.summary()).as("charged on the turn's lease").contains("on lease"));

    restartWhileTheModelAnswers("leased", agent, contact, "lease-2", "Anyone there?");

    node.eventually(() -> {
      assertThat(channel.textsTo(contact)).containsExactly("Answer to: Hello?", "Answer to: Anyone there?");
      assertThat(balance("leased").available()).isEqualTo(10_000 - 2);
      assertThat(balance("leased").openReservations()).isZero();
      assertThat(view(sessionId).creditsUsed()).isEqualTo(2);
      assertThat(pendingWork(sessionId)).isEmpty();
    });
  }

  // ---- helpers ----

  @Test
  void anAutonomousBookingTakesAFreeSlotTheNextAskerHearsTheNearestAndAMovedReminderSurvivesARestart() {
    String agent = agent("cal", AgentConfig.Autonomy.AUTONOMOUS, AgentConfig.DoubleTexting.QUEUE, List.of("book_appointment"));
    io.layercake.runtime.bookings.Availability always = new io.layercake.runtime.bookings.Availability("UTC",
        java.util.stream.Stream.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
            .collect(java.util.stream.Collectors.toMap(day -> day, day -> List.of("00:00-24:00"))),
        30, 0, List.of(), Map.of("boiler service", 60), 30, 0, 30, 24);
    assertThat(join(node.calendars().setAvailability("cal", always, "user:u_1")))
        .isInstanceOf(io.layercake.runtime.bookings.CalendarEntity.CalendarView.class);
    java.time.Instant start = java.time.Instant.now().plus(Duration.ofDays(2)).truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    String local = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(java.time.ZoneOffset.UTC).format(start);
    model.script(agent, request -> CompletableFuture.completedFuture(request.toolRounds().isEmpty()
        ? ScriptedModel.toolCall("call-1", "book_appointment", Map.of("requested_time", local, "service", "boiler service"))
        : ScriptedModel.text("Done: " + request.toolRounds().get(0).result())));

    join(receive("cal", agent, "+31611111111", "cal-1", "Can you come for the boiler?"));
    node.eventually(() -> assertThat(channel.textsTo("+31611111111")).singleElement().asString()
        .startsWith("Done: Booked: boiler service on").contains("(UTC), booking appt_"));
    String first = sessionId(agent, "+31611111111");
    node.eventually(() -> assertThat(pendingWork(first)).anyMatch(key -> key.startsWith("followup:reminder:appt_")));
    join(receive("cal", agent, "+31622222222", "cal-2", "Same time for me please"));
    node.eventually(() -> assertThat(channel.textsTo("+31622222222")).singleElement().asString()
        .startsWith("Done: Not booked: that time is not free. The nearest free times (UTC) are: ")
        .contains(local.substring(0, 11)));

    node.eventually(() -> assertThat(Sql.strings(database, "SELECT status FROM appointments WHERE org_id = ?", "cal"))
        .containsExactly("booked"));
    String bookingId = Sql.strings(database, "SELECT booking_id FROM appointments WHERE org_id = ?", "cal").get(0);
    assertThat(join(node.conversations().listing().bookingRequests("cal", 10))).as("only the booking that was made").hasSize(1);

    // the business moves the reminder (as a reschedule does); it is due after the node is gone and comes on the next one
    assertThat(join(node.conversations().sessions().arrangeReminder(first, bookingId, java.time.Instant.now().plusSeconds(3),
        "Reminder: your boiler service is tomorrow."))).isInstanceOf(SessionReply.Done.class);
    node.close();
    node = ConversationNode.start(settings, model, channel);
    node.eventually(() -> assertThat(channel.textsTo("+31611111111")).last().isEqualTo("Reminder: your boiler service is tomorrow."));
    assertThat(channel.textsTo("+31611111111")).as("sent once, the first reminder replaced").hasSize(2);
  }

  /** The node stops while the model works on {@code text}; a new node on the same database takes over, its model answering at once. */
  private void restartWhileTheModelAnswers(String orgId, String agent, String contact, String messageId, String text)
      throws InterruptedException {
    CountDownLatch modelCalled = new CountDownLatch(1);
    model.script(agent, request -> {
      modelCalled.countDown();
      return new CompletableFuture<>();
    });
    join(receive(orgId, agent, contact, messageId, text));
    assertThat(modelCalled.await(ConversationNode.TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
    node.close();
    model.script(agent, request -> CompletableFuture.completedFuture(ScriptedModel.text(ScriptedModel.answerTo(request))));
    node = ConversationNode.start(settings, model, channel);
  }

  /** The keys of the work the read model says the conversation still owes. */
  private java.util.Set<String> pendingWork(String sessionId) {
    return PendingWork.keysOf(Sql.strings(database, "SELECT pending_work FROM conversations WHERE session_id = ?", sessionId).get(0));
  }

  /** First call: a booking for Tuesday 10:00; after the tool result: "Done: " + the result. */
  private static java.util.function.Function<ModelRequest, CompletionStage<ModelReply>> bookingThenAnswer() {
    return request -> CompletableFuture.completedFuture(request.toolRounds().isEmpty()
        ? ScriptedModel.toolCall("call-1", "book_appointment", Map.of("requested_time", "Tuesday 10:00", "service", "boiler service"))
        : ScriptedModel.text("Done: " + request.toolRounds().get(0).result()));
  }

  private Approval awaitApproval(String sessionId) {
    Approval[] found = new Approval[1];
    node.eventually(() -> {
      List<Approval> approvals = view(sessionId).pendingApprovals();
      assertThat(approvals).hasSize(1);
      found[0] = approvals.get(0);
    });
    return found[0];
  }

  private int agents;

  private String agent(String orgId, AgentConfig.Autonomy autonomy, AgentConfig.DoubleTexting policy, List<String> tools) {
    if (!(join(node.ledger().organizations().summary(orgId)) instanceof OrgEntity.Accepted)) {
      open(orgId, 100);
    }
    String agentId = orgId + "-agent-" + (++agents);
    AgentConfig config = new AgentConfig(orgId, agentId, "A friendly plumber's assistant.", List.of(), tools, autonomy,
        List.of(), AgentConfig.ModelChoice.LOCAL, "We are closed for messages right now.", null, List.of("en"), null, policy);
    assertThat(join(node.agents().create(agentId, config))).isInstanceOf(AgentEntity.Agent.class);
    return agentId;
  }

  private void open(String orgId, long credits) {
    assertThat(join(node.ledger().organizations().open(orgId, orgId, "pro", null))).isInstanceOf(OrgEntity.Accepted.class);
    if (credits > 0) {
      assertThat(join(node.ledger().organizations().addPurchased(orgId, "pack-" + orgId, credits)))
          .isInstanceOf(OrgEntity.CurrentBalance.class);
    }
  }

  private CompletionStage<SessionReply> receive(String orgId, String agentId, String contact, String messageId, String text) {
    return node.conversations().sessions().receive(new InboundMessage(orgId, agentId, "whatsapp", contact, messageId, text));
  }

  private static String sessionId(String agentId, String contact) {
    return new SessionKey(agentId, "whatsapp", contact).sessionId();
  }

  private SessionReply.ConversationView view(String sessionId) {
    return ((SessionReply.Conversation) join(node.conversations().sessions().conversation(sessionId))).view();
  }

  private List<String> customerMessages(String sessionId) {
    return view(sessionId).recentMessages().stream()
        .filter(entry -> entry.role() == ConversationMessage.Role.CUSTOMER)
        .map(SessionState.ContextEntry::text)
        .toList();
  }

  private ConversationListing.ConversationSummary conversation(String sessionId) {
    return join(node.conversations().listing().conversation(sessionId)).orElseThrow();
  }

  private List<ConversationListing.MessageRecord> messages(String sessionId) {
    return join(node.conversations().listing().messages(sessionId, 100));
  }

  private OrgEntity.Balance balance(String orgId) {
    return ((OrgEntity.CurrentBalance) join(node.ledger().organizations().balance(orgId))).balance();
  }

  private static <T> T join(CompletionStage<T> stage) {
    return stage.toCompletableFuture().join();
  }

  private static <T> List<T> allOf(List<CompletionStage<T>> stages) {
    return stages.stream().map(ConversationTurnContract::join).toList();
  }
}
