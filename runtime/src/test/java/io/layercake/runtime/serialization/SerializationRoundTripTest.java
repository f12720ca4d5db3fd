package io.layercake.runtime.serialization;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentEntity;
import io.layercake.runtime.agent.Agents;
import io.layercake.runtime.channel.MessageTemplate;
import io.layercake.runtime.credits.Balances;
import io.layercake.runtime.credits.Bucket;
import io.layercake.runtime.credits.CostLine;
import io.layercake.runtime.credits.LedgerTotals;
import io.layercake.runtime.credits.OrgEntity;
import io.layercake.runtime.credits.Reservation;
import io.layercake.runtime.credits.Settlement;
import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.session.Approval;
import io.layercake.runtime.session.ApprovalKind;
import io.layercake.runtime.session.ConversationWindows;
import io.layercake.runtime.session.DeliveryStatus;
import io.layercake.runtime.session.Drafter;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.Lease;
import io.layercake.runtime.session.OutboundKind;
import io.layercake.runtime.session.Profile;
import io.layercake.runtime.session.SequenceRun;
import io.layercake.runtime.session.SessionCommand;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionEvent;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.SessionState;
import java.io.IOException;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.SerializationTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Every class the runtime serializes (each concrete {@link JsonSerializable} in the runtime's
 * compiled classes) has a sample here and survives a round trip through the configured
 * serializer, which must be Jackson JSON. A new class without a sample fails this test.
 */
class SerializationRoundTripTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Instant AT = Instant.parse("2026-11-25T10:00:00Z");

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private static Map<Class<?>, List<Object>> samples(ActorTestKit kit) {
    ActorRef<OrgEntity.Reply> replyTo = kit.<OrgEntity.Reply>createTestProbe().ref();
    Balances balances = new Balances(1, 2, 3);
    List<CostLine> breakdown = List.of(new CostLine("llm_reply", 1), new CostLine("tool:book_appointment", 2));
    Reservation reservation = new Reservation("r1", 5, new Balances(1, 2, 2), 0, "sub-org", "session-1", "agent-1", AT, "2026-11-25", "2026-11");
    Settlement settlement = new Settlement("r0", Settlement.Outcome.COMMITTED, 5, AT, 3, 0, 0, "acme", "session-1", "agent-1");
    LedgerTotals totals = new LedgerTotals(200, 100, 50, 10, 0, 2);
    AgentConfig agent = Agents.plumber("org-1");
    ActorRef<AgentEntity.Reply> agentReplyTo = kit.<AgentEntity.Reply>createTestProbe().ref();
    OrgEntity.Summary summary = new OrgEntity.Summary("acme", "Acme", "pro", null);
    OrgEntity.Balance balance = new OrgEntity.Balance(
        "acme", "pro", false, balances, 5, 6, 1, "2026-11", 200, false, false, totals);
    OrgEntity.State state = new OrgEntity.State(
        new OrgEntity.Profile("Acme", "pro", "agency-1"), balances, Map.of("r1", reservation), Map.of("r0", settlement),
        Map.of("cs_1", "purchase:100"), "2026-11-25", "2026-11", 200, "2026-11", false, totals);
    Map<Class<?>, List<Object>> samples = new java.util.HashMap<>(orgAndAgentSamples(kit, replyTo, balances, breakdown, reservation,
        settlement, totals, agent, agentReplyTo, summary, balance, state));
    samples.putAll(sessionSamples(kit, breakdown));
    samples.putAll(setupSamples(kit));
    samples.putAll(communicationSamples(kit));
    samples.putAll(bookingSamples(kit));
    return samples;
  }

  private static Map<Class<?>, List<Object>> communicationSamples(ActorTestKit kit) {
    ActorRef<io.layercake.runtime.messages.ThreadEntity.Reply> replyTo =
        kit.<io.layercake.runtime.messages.ThreadEntity.Reply>createTestProbe().ref();
    ActorRef<io.layercake.runtime.feed.BroadcastEntity.Sent> sentTo =
        kit.<io.layercake.runtime.feed.BroadcastEntity.Sent>createTestProbe().ref();
    io.layercake.runtime.messages.ThreadState.DirectMessage message = new io.layercake.runtime.messages.ThreadState.DirectMessage(
        "dmm_1", 1, "u_1", "c-1", "Hi Hans", AT, AT, null);
    io.layercake.runtime.messages.ThreadState thread = new io.layercake.runtime.messages.ThreadState(List.of("u_1", "u_2"),
        List.of(message), Map.of("u_1|c-1", "dmm_1"), Map.of("u_1", 1L));
    io.layercake.runtime.feed.BroadcastEntity.BroadcastSent sent = new io.layercake.runtime.feed.BroadcastEntity.BroadcastSent("acme",
        io.layercake.runtime.feed.BroadcastEntity.Audience.CLIENTS, "New", "Body", "normal", "Anna (user:u_1)", AT);
    return Map.ofEntries(
        Map.entry(io.layercake.runtime.messages.ThreadEntity.Send.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.Send("u_1", "u_2", "c-1", "Hi Hans", replyTo))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.Edit.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.Edit("u_1", "dmm_1", "Hi", replyTo))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.Delete.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.Delete("u_1", "dmm_1", replyTo))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.MarkRead.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.MarkRead("u_2", 1, replyTo))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.Get.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.Get("u_2", replyTo))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.ThreadOpened.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.ThreadOpened(List.of("u_1", "u_2"), AT))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.MessageSent.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.MessageSent("dmm_1", 1, "u_1", "c-1", "Hi Hans", AT))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.MessageEdited.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.MessageEdited("dmm_1", 1, "u_1", "Hi", AT))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.MessageDeleted.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.MessageDeleted("dmm_1", 1, "u_1", AT))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.ReadUpTo.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.ReadUpTo("u_2", 1, AT))),
        Map.entry(io.layercake.runtime.messages.ThreadState.class, List.of(io.layercake.runtime.messages.ThreadState.EMPTY, thread)),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.Thread.class, List.of(
            new io.layercake.runtime.messages.ThreadEntity.Thread("dm_1", thread, message, false))),
        Map.entry(io.layercake.runtime.messages.ThreadEntity.Rejected.class, List.of(new io.layercake.runtime.messages.ThreadEntity.Rejected(
            io.layercake.runtime.messages.ThreadEntity.Reason.NOT_YOURS, "not yours"))),
        Map.entry(io.layercake.runtime.feed.BroadcastEntity.Send.class, List.of(new io.layercake.runtime.feed.BroadcastEntity.Send("acme",
            io.layercake.runtime.feed.BroadcastEntity.Audience.CLIENTS, "New", "Body", null, "Anna (user:u_1)", sentTo))),
        Map.entry(io.layercake.runtime.feed.BroadcastEntity.BroadcastSent.class, List.of(sent)),
        Map.entry(io.layercake.runtime.feed.BroadcastEntity.Sent.class, List.of(new io.layercake.runtime.feed.BroadcastEntity.Sent("bc_1", sent))),
        Map.entry(io.layercake.runtime.feed.BroadcastEntity.State.class, List.of(new io.layercake.runtime.feed.BroadcastEntity.State(sent))));
  }

  private static Map<Class<?>, List<Object>> bookingSamples(ActorTestKit kit) {
    ActorRef<io.layercake.runtime.bookings.CalendarEntity.Reply> replyTo =
        kit.<io.layercake.runtime.bookings.CalendarEntity.Reply>createTestProbe().ref();
    var availability = new io.layercake.runtime.bookings.Availability("Europe/Berlin",
        Map.of("monday", List.of("08:00-12:00", "13:00-17:00")), 30, 15, List.of("2026-12-24"), Map.of("boiler service", 60), 30, 120, 60, 24);
    var appointment = new io.layercake.runtime.bookings.Appointment("appt_1", "s-1", "agent-1", "whatsapp", "+31600000000",
        "boiler service", AT, AT.plusSeconds(3600), io.layercake.runtime.bookings.Appointment.Status.BOOKED, "agent agent-1", AT);
    var request = new io.layercake.runtime.bookings.BookingRequest("s-1:3:call-1", "s-1", "agent-1", "whatsapp", "+31600000000",
        "boiler service", "2026-12-10 10:00", "agent agent-1");
    return Map.ofEntries(
        Map.entry(io.layercake.runtime.bookings.Availability.class, List.of(availability)),
        Map.entry(io.layercake.runtime.bookings.Appointment.class, List.of(appointment)),
        Map.entry(io.layercake.runtime.bookings.BookingRequest.class, List.of(request)),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.SetAvailability.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.SetAvailability(availability, "user:u_1", replyTo))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.Book.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.Book(request, replyTo))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.Decide.class, List.of(new io.layercake.runtime.bookings.CalendarEntity.Decide(
            "appt_1", io.layercake.runtime.bookings.CalendarEntity.Decision.CONFIRM, "user:u_1", replyTo))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.Reschedule.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.Reschedule("appt_1", "2026-12-11 09:00", "user:u_1", replyTo))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.Get.class, List.of(new io.layercake.runtime.bookings.CalendarEntity.Get(replyTo))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.Booked.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.Booked(appointment, false, "Europe/Berlin", 24))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.NotFree.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.NotFree("that time is not free", List.of(AT), "Europe/Berlin"))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.NoAvailability.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.NoAvailability())),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.Changed.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.Changed(appointment, "Europe/Berlin", 24))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.CalendarView.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.CalendarView(availability, List.of(appointment)))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.Rejected.class, List.of(new io.layercake.runtime.bookings.CalendarEntity.Rejected(
            io.layercake.runtime.bookings.CalendarEntity.Reason.CONFLICT, "taken"))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.AvailabilitySet.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.AvailabilitySet(availability, "user:u_1", AT))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.AppointmentBooked.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.AppointmentBooked(appointment, "s-1:3:call-1"))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.AppointmentDecided.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.AppointmentDecided("appt_1",
                io.layercake.runtime.bookings.CalendarEntity.Decision.DECLINE, "user:u_1", AT))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.AppointmentRescheduled.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.AppointmentRescheduled("appt_1", AT, AT.plusSeconds(3600), "user:u_1", AT))),
        Map.entry(io.layercake.runtime.bookings.CalendarEntity.State.class, List.of(
            new io.layercake.runtime.bookings.CalendarEntity.State(null, Map.of(), Map.of()),
            new io.layercake.runtime.bookings.CalendarEntity.State(availability, Map.of("appt_1", appointment), Map.of("s-1:3:call-1", "appt_1")))));
  }

  private static Map<Class<?>, List<Object>> setupSamples(ActorTestKit kit) {
    ActorRef<io.layercake.runtime.setup.SetupEntity.Reply> replyTo = kit.<io.layercake.runtime.setup.SetupEntity.Reply>createTestProbe().ref();
    var model = new AgentConfig.ModelChoice("openai", "gpt-4o-mini", 0.2);
    var message = new io.layercake.runtime.setup.SetupState.Message(io.layercake.runtime.setup.SetupState.Role.AGENT, "What is the business called?", null, 1, AT);
    var version = new io.layercake.runtime.setup.SetupState.FileVersion(1, "# FAQ", io.layercake.runtime.setup.SetupState.Author.PERSON, "Maria", AT);
    var connection = new io.layercake.runtime.setup.SetupState.Connection("piet-1a2b3c", "setup-s1-ab", List.of("doc_1"), AT);
    var state = new io.layercake.runtime.setup.SetupState("org-1", "user:u_1", "Maria", model, List.of(message),
        Map.of("kb/faq.md", List.of(version)), connection, AT);
    return Map.ofEntries(
        Map.entry(io.layercake.runtime.setup.SetupState.class, List.of(io.layercake.runtime.setup.SetupState.EMPTY, state)),
        Map.entry(io.layercake.runtime.setup.SetupState.Message.class, List.of(message)),
        Map.entry(io.layercake.runtime.setup.SetupState.FileVersion.class, List.of(version)),
        Map.entry(io.layercake.runtime.setup.SetupState.Connection.class, List.of(connection)),
        Map.entry(io.layercake.runtime.setup.SetupEntity.Start.class, List.of(
            new io.layercake.runtime.setup.SetupEntity.Start("org-1", "user:u_1", "Maria", model, replyTo))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.Say.class, List.of(new io.layercake.runtime.setup.SetupEntity.Say("Piet", "Maria", replyTo))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.EditFile.class, List.of(
            new io.layercake.runtime.setup.SetupEntity.EditFile("kb/faq.md", "# FAQ", "Maria", replyTo))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.Get.class, List.of(new io.layercake.runtime.setup.SetupEntity.Get(replyTo))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.RecordConnection.class, List.of(
            new io.layercake.runtime.setup.SetupEntity.RecordConnection(connection, replyTo))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.SetupStarted.class, List.of(
            new io.layercake.runtime.setup.SetupEntity.SetupStarted("org-1", "user:u_1", "Maria", model, "Hi!", AT))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.OwnerWrote.class, List.of(new io.layercake.runtime.setup.SetupEntity.OwnerWrote("Piet", "Maria", AT))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.FileWritten.class, List.of(new io.layercake.runtime.setup.SetupEntity.FileWritten(
            "kb/faq.md", "# FAQ", io.layercake.runtime.setup.SetupState.Author.AGENT, null, AT))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.AgentWrote.class, List.of(new io.layercake.runtime.setup.SetupEntity.AgentWrote("Got it.", 1, AT))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.Connected.class, List.of(new io.layercake.runtime.setup.SetupEntity.Connected(connection))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.Setup.class, List.of(new io.layercake.runtime.setup.SetupEntity.Setup("s1", state))),
        Map.entry(io.layercake.runtime.setup.SetupEntity.Rejected.class, List.of(
            new io.layercake.runtime.setup.SetupEntity.Rejected(io.layercake.runtime.setup.SetupEntity.Reason.BUSY, "busy"))));
  }

  private static Map<Class<?>, List<Object>> sessionSamples(ActorTestKit kit, List<CostLine> breakdown) {
    ActorRef<SessionReply> replyTo = kit.<SessionReply>createTestProbe().ref();
    Profile profile = new Profile("s-1", "org-1", "agent-1", "whatsapp", "+31600000000");
    SessionState.ContextEntry entry = new SessionState.ContextEntry(ConversationMessage.Role.CUSTOMER, "hi", "wamid.1");
    SessionState.Inbound inbound = new SessionState.Inbound("wamid.2", "is 3pm ok?", AT);
    SessionState.ToolResult tool = new SessionState.ToolResult("call-1", "capture_lead", Map.of("name", "Ann"), "recorded", 1);
    SessionState.Settlement settlement = new SessionState.Settlement(true, 2, breakdown);
    SessionState.Turn turn = new SessionState.Turn(3, "s-1:3", List.of(inbound), 2, SessionState.Stage.SETTLING, List.of(tool),
        List.of("a note"), true, settlement);
    Approval approval = new Approval("s-1:3:approval-1", 3, ApprovalKind.TOOL, "call-2",
        "book_appointment", Map.of("service", "boiler"), null, AT, null);
    Drafter drafter = new Drafter("openai", "gpt-4o-mini", 120, 14, List.of("doc-1"));
    Approval draft = new Approval("s-1:4:approval-2", 4, ApprovalKind.REPLY,
        null, null, Map.of(), "We can come Tuesday.", AT, drafter);
    MessageTemplate template = new MessageTemplate("appointment_reminder", "en_US", List.of("Ann", "Tuesday"));
    SessionState.Outbound outbound = new SessionState.Outbound("out-1", OutboundKind.AGENT_REPLY, "agent", "hello",
        null, DeliveryStatus.SENT, "wamid.out", null, AT);
    SessionState.Outbound templated = new SessionState.Outbound("out-2", OutboundKind.HUMAN, "maria",
        template.describe(), template, DeliveryStatus.QUEUED, null, null, AT);
    SessionState.Followup followup = new SessionState.Followup("s-1:3:2", AT, "Still leaking?", null);
    SessionState.Followup reminder = new SessionState.Followup("reminder:appt_1:1765360800000", AT, "Reminder: your boiler service",
        SessionState.Followup.REMINDER);
    Lease lease = new Lease("s-1:2", 40, 4, breakdown, AT);
    SequenceRun run = new SequenceRun("seq-1-quote-chase", "quote-chase", 0, List.of(
        new io.layercake.runtime.outreach.FollowupSequence.Step("2d", "Any questions about the quote?",
            new io.layercake.runtime.outreach.OutreachSettings.TemplateChoice("quote_followup", "en", true), true),
        new io.layercake.runtime.outreach.FollowupSequence.Step("5d", "Shall we book it?", null, false)), AT, true, true);
    SessionState.Followup step = new SessionState.Followup(run.followupId(), AT, "Any questions about the quote?",
        SessionState.Followup.SEQUENCE, run);
    SessionState state = new SessionState(profile, SessionState.Status.HANDED_OFF, "maria", List.of("wamid.1"), List.of(entry),
        List.of(inbound), turn, 3, List.of(approval), List.of(outbound), 1, List.of(followup, reminder, step), AT, AT, 4, true, 7, true, lease, AT,
        new ConversationWindows(200, 20));
    InboundMessage message = new InboundMessage("org-1", "agent-1", "whatsapp", "+31600000000", "wamid.1", "hi");
    SessionReply.ConversationView view = new SessionReply.ConversationView("s-1", "org-1", "agent-1", "whatsapp",
        "+31600000000", SessionState.Status.ACTIVE, "agent", 3, SessionState.Stage.THINKING, 1, List.of(approval),
        List.of(entry), List.of(outbound), 4, false, AT, 7, false);
    return Map.ofEntries(
        Map.entry(SessionState.class, List.of(SessionState.EMPTY, state)),
        Map.entry(Profile.class, List.of(profile)),
        Map.entry(SessionState.ContextEntry.class, List.of(entry)),
        Map.entry(SessionState.Inbound.class, List.of(inbound)),
        Map.entry(SessionState.ToolResult.class, List.of(tool)),
        Map.entry(SessionState.Turn.class, List.of(turn)),
        Map.entry(SessionState.Settlement.class, List.of(settlement)),
        Map.entry(Lease.class, List.of(lease)),
        Map.entry(Approval.class, List.of(approval, draft)),
        Map.entry(Drafter.class, List.of(drafter)),
        Map.entry(SessionState.Outbound.class, List.of(outbound, templated)),
        Map.entry(MessageTemplate.class, List.of(template)),
        Map.entry(io.layercake.runtime.reference.ReferenceChanged.class, List.of(
            new io.layercake.runtime.reference.ReferenceChanged("agents", "agent-1"),
            new io.layercake.runtime.reference.ReferenceChanged("channels", null))),
        Map.entry(io.layercake.runtime.channel.WebchatEvent.class, List.of(
            new io.layercake.runtime.channel.WebchatEvent("s-1", "out-1", "hello", AT),
            new io.layercake.runtime.channel.WebchatEvent("s-1", "2-1-k3x9", "We open ", AT, true))),
        Map.entry(AgentConfig.Webchat.class, List.of(AgentConfig.Webchat.DEFAULT,
            new AgentConfig.Webchat(false, "#112233", "bottom-left", List.of("https://piet.example")))),
        Map.entry(SessionCommand.SendTemplate.class, List.of(new SessionCommand.SendTemplate("maria", template, replyTo))),
        Map.entry(SessionCommand.ReachOut.class, List.of(new SessionCommand.ReachOut(new Profile("s-1", "acme", "agent-1", "whatsapp", "31612345678"), "maria", template, replyTo))),
        Map.entry(SessionState.Followup.class, List.of(followup, step)),
        Map.entry(io.layercake.runtime.limits.RateLimitEntity.Acquire.class, List.of(new io.layercake.runtime.limits.RateLimitEntity.Acquire(
            30, kit.<io.layercake.runtime.limits.RateLimitEntity.Decision>createTestProbe().ref()))),
        Map.entry(io.layercake.runtime.limits.RateLimitEntity.Decision.class, List.of(
            new io.layercake.runtime.limits.RateLimitEntity.Decision(true, 0), new io.layercake.runtime.limits.RateLimitEntity.Decision(false, 1500))),
        Map.entry(InboundMessage.class, List.of(message, new InboundMessage("org-1", "agent-1", "whatsapp",
            "+31600000000", "wamid.2", "\uD83D\uDC4D", InboundMessage.Kind.REACTION, "wamid.OUT-1", AT))),
        Map.entry(SessionCommand.Receive.class, List.of(new SessionCommand.Receive(message, replyTo))),
        Map.entry(SessionCommand.SendAsHuman.class, List.of(new SessionCommand.SendAsHuman("maria", "hello", replyTo))),
        Map.entry(SessionCommand.HandOff.class, List.of(new SessionCommand.HandOff("maria", "vip", replyTo))),
        Map.entry(SessionCommand.HandBack.class, List.of(new SessionCommand.HandBack("maria", replyTo))),
        Map.entry(SessionCommand.Close.class, List.of(new SessionCommand.Close("maria", replyTo),
            new SessionCommand.Close("maria", SessionCommand.Close.SUCCESS, replyTo))),
        Map.entry(SessionCommand.StartSequence.class, List.of(new SessionCommand.StartSequence("quote-chase", "user:u_1", replyTo))),
        Map.entry(SessionCommand.StopSequence.class, List.of(new SessionCommand.StopSequence("quote-chase", "user:u_1", replyTo))),
        Map.entry(SessionCommand.Reopen.class, List.of(new SessionCommand.Reopen("maria", replyTo))),
        Map.entry(SessionCommand.Decide.class, List.of(new SessionCommand.Decide("s-1:3:approval-1", true, "maria", replyTo))),
        Map.entry(SessionCommand.GetConversation.class, List.of(new SessionCommand.GetConversation(replyTo))),
        Map.entry(SessionCommand.DeliveryReceipt.class, List.of(
            new SessionCommand.DeliveryReceipt("wamid.out", DeliveryStatus.READ, null, replyTo))),
        Map.entry(SessionCommand.Wake.class, List.of(new SessionCommand.Wake("recovered"))),
        Map.entry(SessionEvent.ConversationStarted.class, List.of(new SessionEvent.ConversationStarted(profile, AT),
            new SessionEvent.ConversationStarted(profile, AT, new ConversationWindows(200, 20)))),
        Map.entry(SessionEvent.WindowsChanged.class, List.of(new SessionEvent.WindowsChanged(new ConversationWindows(200, 20), AT))),
        Map.entry(ConversationWindows.class, List.of(new ConversationWindows(200, 20))),
        Map.entry(SessionEvent.Reopened.class, List.of(new SessionEvent.Reopened("customer", AT))),
        Map.entry(SessionEvent.MessageReceived.class, List.of(
            new SessionEvent.MessageReceived("wamid.1", "hi", true, AT),
            new SessionEvent.MessageReceived("wamid.1", "hi", true, AT, AT.minusSeconds(30)))),
        Map.entry(SessionEvent.ReactionReceived.class, List.of(
            new SessionEvent.ReactionReceived("wamid.2", "wamid.OUT-1", "out-1", "\uD83D\uDC4D", AT),
            new SessionEvent.ReactionReceived("wamid.3", "wamid.OUT-1", null, null, AT))),
        Map.entry(SessionEvent.NoticeReceived.class, List.of(
            new SessionEvent.NoticeReceived("wamid.4", InboundMessage.Kind.STICKER, "[sticker]", AT))),
        Map.entry(SessionEvent.TurnStarted.class, List.of(new SessionEvent.TurnStarted(3, "s-1:3", List.of("wamid.1"), 2, AT))),
        Map.entry(SessionEvent.ToolRan.class, List.of(
            new SessionEvent.ToolRan(3, "call-1", "capture_lead", Map.of("name", "Ann"), "recorded", true, 1, AT))),
        Map.entry(SessionEvent.ApprovalRequested.class, List.of(new SessionEvent.ApprovalRequested(approval, AT))),
        Map.entry(SessionEvent.ApprovalDecided.class, List.of(
            new SessionEvent.ApprovalDecided("s-1:3:approval-1", false, "expiry", true, AT))),
        Map.entry(SessionEvent.AgentReplied.class, List.of(new SessionEvent.AgentReplied(
            3, "out-2", "hello", 2, breakdown, List.of("doc-1"), "openai", "gpt-4o-mini", 120, 30, AT),
            new SessionEvent.AgentReplied(3, "out-2", "hello", 2, breakdown, List.of("doc-1"), "openai", "gpt-4o-mini", 120, 30,
                AT, new SessionEvent.TurnStarted(3, "s-1:3", List.of("wamid.1"), 2, AT),
                new SessionEvent.TurnSettled(3, List.of("wamid.1"), 2, AT)))),
        Map.entry(SessionEvent.ReplyQueued.class, List.of(
            new SessionEvent.ReplyQueued("out-3", OutboundKind.HUMAN, "maria", "hi there", null, AT),
            new SessionEvent.ReplyQueued("out-4", OutboundKind.HUMAN, "maria", template.describe(), template, AT))),
        Map.entry(SessionEvent.CreditsRanOut.class, List.of(new SessionEvent.CreditsRanOut(3, List.of("wamid.1"), 0, AT))),
        Map.entry(SessionEvent.TurnFailed.class, List.of(new SessionEvent.TurnFailed(3, "the model failed (timeout)", AT))),
        Map.entry(SessionEvent.TurnCancelled.class, List.of(new SessionEvent.TurnCancelled(3, "a person took over", AT))),
        Map.entry(SessionEvent.ReservationRenewed.class, List.of(new SessionEvent.ReservationRenewed(3, "s-1:3/1764151200000", AT))),
        Map.entry(SessionEvent.TurnRestarted.class, List.of(new SessionEvent.TurnRestarted(3, List.of("wamid.4"), true, AT))),
        Map.entry(SessionEvent.TurnSettled.class, List.of(new SessionEvent.TurnSettled(3, List.of("wamid.1"), 2, AT),
            new SessionEvent.TurnSettled(3, List.of("wamid.1"), 2, AT, lease))),
        Map.entry(SessionEvent.LeaseReturned.class, List.of(new SessionEvent.LeaseReturned("s-1:2", 4, 4, AT))),
        Map.entry(SessionEvent.HandedOff.class, List.of(new SessionEvent.HandedOff("team", "model failed", AT, AT))),
        Map.entry(SessionEvent.HandedBack.class, List.of(new SessionEvent.HandedBack("maria", AT))),
        Map.entry(SessionEvent.OwnerReminded.class, List.of(new SessionEvent.OwnerReminded(AT))),
        Map.entry(SessionEvent.Closed.class, List.of(new SessionEvent.Closed("maria", AT), new SessionEvent.Closed("maria", "success", AT))),
        Map.entry(SessionEvent.SequenceStarted.class, List.of(new SessionEvent.SequenceStarted(run.runId(), "quote-chase", "agent",
            "lead_captured", 2, AT))),
        Map.entry(SessionEvent.SequenceEnded.class, List.of(new SessionEvent.SequenceEnded(run.runId(), "quote-chase",
            "the customer wrote first", AT))),
        Map.entry(SessionEvent.SequenceRefused.class, List.of(new SessionEvent.SequenceRefused("nurture", "agent",
            "this agent has no sequence named nurture", AT))),
        Map.entry(SessionEvent.FollowupScheduled.class, List.of(new SessionEvent.FollowupScheduled("s-1:3:2", AT, "Still leaking?", AT),
            new SessionEvent.FollowupScheduled("reminder:appt_1:1", AT, "Reminder", AT, SessionState.Followup.REMINDER),
            new SessionEvent.FollowupScheduled(run.followupId(), AT, "Any questions about the quote?", AT, SessionState.Followup.SEQUENCE, run))),
        Map.entry(SessionCommand.ArrangeReminder.class, List.of(new SessionCommand.ArrangeReminder("appt_1", AT, "Reminder: Tuesday 10:00",
            kit.<SessionReply>createTestProbe().ref()))),
        Map.entry(SessionEvent.FollowupCancelled.class, List.of(new SessionEvent.FollowupCancelled("s-1:3:2", "wrote first", AT))),
        Map.entry(SessionEvent.FollowupSent.class, List.of(new SessionEvent.FollowupSent("s-1:3:2", "out-4", AT),
            new SessionEvent.FollowupSent(run.followupId(), "out-5", 1, AT))),
        Map.entry(SessionEvent.DeliveryUpdated.class, List.of(
            new SessionEvent.DeliveryUpdated("out-1", DeliveryStatus.FAILED, null, "131026 undeliverable", AT))),
        Map.entry(SessionEvent.ReplyBlocked.class, List.of(
            new SessionEvent.ReplyBlocked(List.of("in-1"), "platform SMS is not included in the free tier", AT))),
        Map.entry(SessionEvent.ContactOptedOut.class, List.of(new SessionEvent.ContactOptedOut("in-1", "STOP", AT))),
        Map.entry(SessionEvent.ContactOptedIn.class, List.of(new SessionEvent.ContactOptedIn("in-2", "START", AT))),
        Map.entry(SessionReply.Received.class, List.of(new SessionReply.Received("s-1", true))),
        Map.entry(SessionReply.Done.class, List.of(new SessionReply.Done("s-1", "out-3"), new SessionReply.Done("s-1", null))),
        Map.entry(SessionReply.Conversation.class, List.of(new SessionReply.Conversation(view))),
        Map.entry(SessionReply.ConversationView.class, List.of(view)),
        Map.entry(SessionReply.Rejected.class, List.of(new SessionReply.Rejected(SessionReply.Reason.CONFLICT, "closed"))));
  }

  private static Map<Class<?>, List<Object>> orgAndAgentSamples(ActorTestKit kit, 
      ActorRef<OrgEntity.Reply> replyTo, Balances balances, List<CostLine> breakdown, Reservation reservation,
      Settlement settlement, LedgerTotals totals, AgentConfig agent, ActorRef<AgentEntity.Reply> agentReplyTo,
      OrgEntity.Summary summary, OrgEntity.Balance balance, OrgEntity.State state) {
    return Map.ofEntries(
        Map.entry(OrgEntity.Open.class, List.of(
            new OrgEntity.Open("Acme", "pro", null, replyTo), new OrgEntity.Open("Acme", "pro", "parent", replyTo))),
        Map.entry(OrgEntity.ChangeTier.class, List.of(new OrgEntity.ChangeTier("agency", "evt_1", replyTo))),
        Map.entry(OrgEntity.Rename.class, List.of(new OrgEntity.Rename("Acme Plumbing", replyTo))),
        Map.entry(OrgEntity.Renamed.class, List.of(new OrgEntity.Renamed("Acme Plumbing", AT))),
        Map.entry(OrgEntity.Grant.class, List.of(new OrgEntity.Grant("2026-11", Bucket.DAILY, 5, replyTo))),
        Map.entry(OrgEntity.AddPurchased.class, List.of(new OrgEntity.AddPurchased("cs_1", 100, replyTo))),
        Map.entry(OrgEntity.Reserve.class, List.of(new OrgEntity.Reserve("r1", 5, "session-1", "agent-1", null, replyTo),
            new OrgEntity.Reserve("r2", 100, 5, "session-1", "agent-1", null, replyTo))),
        Map.entry(OrgEntity.Commit.class, List.of(new OrgEntity.Commit("r1", 3, breakdown, null, replyTo))),
        Map.entry(OrgEntity.Release.class, List.of(new OrgEntity.Release("r1", null, replyTo))),
        Map.entry(OrgEntity.GetSummary.class, List.of(new OrgEntity.GetSummary(replyTo))),
        Map.entry(OrgEntity.GetBalance.class, List.of(new OrgEntity.GetBalance(replyTo))),
        Map.entry(OrgEntity.ExpireReservation.class, List.of(new OrgEntity.ExpireReservation("r1"))),
        Map.entry(OrgEntity.ExpireOverdue.class, List.of(new OrgEntity.ExpireOverdue())),
        Map.entry(OrgEntity.FlushBatch.class, List.of(new OrgEntity.FlushBatch())),
        Map.entry(OrgEntity.Opened.class, List.of(new OrgEntity.Opened("Acme", "pro", null, AT))),
        Map.entry(OrgEntity.TierChanged.class, List.of(new OrgEntity.TierChanged("pro", "agency", "evt_1", AT))),
        Map.entry(OrgEntity.Granted.class, List.of(new OrgEntity.Granted("2026-11", Bucket.MONTHLY, 200, 12, AT))),
        Map.entry(OrgEntity.CreditsPurchased.class, List.of(new OrgEntity.CreditsPurchased("cs_1", 100, AT))),
        Map.entry(OrgEntity.CreditsReserved.class, List.of(new OrgEntity.CreditsReserved(reservation, AT))),
        Map.entry(OrgEntity.ReservationRefused.class, List.of(
            new OrgEntity.ReservationRefused("r2", 5, 1, "acme", "session-1", "agent-1", AT))),
        Map.entry(OrgEntity.ReservationCommitted.class, List.of(new OrgEntity.ReservationCommitted(
            "r1", 3, new Balances(1, 2, 0), new Balances(0, 0, 2), new Balances(0, 1, 0), Balances.EMPTY, 0, 0, breakdown,
            "sub-org", "session-1",
            "agent-1", AT))),
        Map.entry(OrgEntity.ReservationReleased.class, List.of(
            new OrgEntity.ReservationReleased("r1", new Balances(1, 2, 2), Balances.EMPTY, true, "acme", "session-1", "agent-1", AT))),
        Map.entry(OrgEntity.LowCredits.class, List.of(new OrgEntity.LowCredits("2026-11", 10, 200, AT))),
        Map.entry(OrgEntity.CreditsExhausted.class, List.of(new OrgEntity.CreditsExhausted("2026-11", AT))),
        Map.entry(OrgEntity.Accepted.class, List.of(new OrgEntity.Accepted(summary))),
        Map.entry(OrgEntity.CurrentBalance.class, List.of(new OrgEntity.CurrentBalance(balance))),
        Map.entry(OrgEntity.CreditsHeld.class, List.of(new OrgEntity.CreditsHeld("r1", 3, 40))),
        Map.entry(OrgEntity.Reserved.class, List.of(new OrgEntity.Reserved("r1", 5, AT), new OrgEntity.Reserved("r1", 5, AT, false))),
        Map.entry(OrgEntity.Insufficient.class, List.of(new OrgEntity.Insufficient("r1", 2))),
        Map.entry(OrgEntity.Committed.class, List.of(new OrgEntity.Committed("r1", 3, 0))),
        Map.entry(OrgEntity.Released.class, List.of(new OrgEntity.Released("r1", Settlement.Outcome.EXPIRED))),
        Map.entry(OrgEntity.Rejected.class, List.of(new OrgEntity.Rejected(OrgEntity.Reason.CONFLICT, "already open"))),
        Map.entry(OrgEntity.Summary.class, List.of(summary, new OrgEntity.Summary("acme", "Acme", "pro", "agency-1"))),
        Map.entry(OrgEntity.Balance.class, List.of(balance)),
        Map.entry(OrgEntity.Profile.class, List.of(new OrgEntity.Profile("Acme", "pro", null))),
        Map.entry(OrgEntity.State.class, List.of(OrgEntity.State.UNOPENED, state)),
        Map.entry(Balances.class, List.of(balances)),
        Map.entry(CostLine.class, breakdown.stream().map(Object.class::cast).toList()),
        Map.entry(Reservation.class, List.of(reservation)),
        Map.entry(Settlement.class, List.of(settlement)),
        Map.entry(LedgerTotals.class, List.of(totals)),
        Map.entry(AgentConfig.class, List.of(agent)),
        Map.entry(AgentConfig.FaqEntry.class, List.copyOf(agent.faq())),
        Map.entry(AgentConfig.ModelChoice.class, List.of(agent.model())),
        Map.entry(AgentConfig.BusinessHours.class, List.of(agent.businessHours())),
        Map.entry(AgentConfig.OpeningHours.class, List.copyOf(agent.businessHours().hours())),
        Map.entry(AgentEntity.Create.class, List.of(new AgentEntity.Create(agent, "Anna Acme (user:u_1)", agentReplyTo), new AgentEntity.Create(agent, agentReplyTo))),
        Map.entry(AgentEntity.Update.class, List.of(new AgentEntity.Update(agent, "key:4a16 (deploy)", agentReplyTo))),
        Map.entry(AgentEntity.Pause.class, List.of(new AgentEntity.Pause("operator", agentReplyTo))),
        Map.entry(AgentEntity.Resume.class, List.of(new AgentEntity.Resume(agentReplyTo))),
        Map.entry(AgentEntity.Get.class, List.of(new AgentEntity.Get(agentReplyTo))),
        Map.entry(AgentEntity.Archive.class, List.of(new AgentEntity.Archive("Anna Acme (user:u_1)", agentReplyTo))),
        Map.entry(AgentEntity.AgentArchived.class, List.of(new AgentEntity.AgentArchived(AT, "Anna Acme (user:u_1)"), new AgentEntity.AgentArchived(AT, null))),
        Map.entry(AgentEntity.AgentCreated.class, List.of(new AgentEntity.AgentCreated(agent, AT, "Anna Acme (user:u_1)"))),
        Map.entry(AgentEntity.AgentReconfigured.class, List.of(new AgentEntity.AgentReconfigured(agent, AT, "key:4a16 (deploy)"))),
        Map.entry(AgentEntity.AgentPaused.class, List.of(new AgentEntity.AgentPaused(AT, "operator"))),
        Map.entry(AgentEntity.AgentResumed.class, List.of(new AgentEntity.AgentResumed(AT, null))),
        Map.entry(AgentEntity.Agent.class, List.of(new AgentEntity.Agent("agent-1", agent, AgentEntity.Status.ACTIVE, 2))),
        Map.entry(AgentEntity.Rejected.class, List.of(new AgentEntity.Rejected(AgentEntity.Reason.INVALID, List.of("name")))),
        Map.entry(AgentEntity.State.class, List.of(AgentEntity.State.EMPTY, new AgentEntity.State(agent, AgentEntity.Status.PAUSED, 3))));
  }

  @Test
  void everySerializableClassHasASample() throws Exception {
    assertThat(samples(testKit).keySet()).containsExactlyInAnyOrderElementsOf(serializableClasses());
  }

  @Test
  void everySampleRoundTripsThroughJacksonJson() {
    SerializationTestKit serializationTestKit = new SerializationTestKit(testKit.system());
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    samples(testKit).values().stream().flatMap(List::stream).forEach(sample -> {
      assertThat(serialization.findSerializerFor(sample).getClass().getSimpleName())
          .as(sample.getClass().getName())
          .isEqualTo("JacksonJsonSerializer");
      serializationTestKit.verifySerialization(sample, true);
    });
  }

  @Test
  void aMessageReceivedJournaledBeforeTheProviderTimeWasRecordedStillReads() {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    SessionEvent.MessageReceived current =
        new SessionEvent.MessageReceived("wamid.1", "hi", true, AT, AT.minusSeconds(30));
    org.apache.pekko.serialization.Serializer serializer = serialization.findSerializerFor(current);
    String json = new String(serialization.serialize(current).get(), java.nio.charset.StandardCharsets.UTF_8);
    String old = json.replaceAll(",\\s*\"sentAt\"\\s*:\\s*\"[^\"]*\"", "");

    String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, current);
    Object read = serialization.deserialize(
        old.getBytes(java.nio.charset.StandardCharsets.UTF_8), serializer.identifier(), manifest).get();

    assertThat(old).doesNotContain("sentAt");
    assertThat(read).isEqualTo(new SessionEvent.MessageReceived("wamid.1", "hi", true, AT, null));
  }

  @Test
  void anAgentChangeJournaledBeforeChangesNamedTheirAuthorStillReads() {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    AgentEntity.AgentReconfigured current = new AgentEntity.AgentReconfigured(
        new AgentConfig("acme", "Bot", null, null, null, null, null, null, null, null, null, null, null, null), AT, "Anna (user:u_1)");
    org.apache.pekko.serialization.Serializer serializer = serialization.findSerializerFor(current);
    String json = new String(serialization.serialize(current).get(), java.nio.charset.StandardCharsets.UTF_8);
    String old = json.replaceAll(",\\s*\"by\"\\s*:\\s*\"[^\"]*\"", "");

    String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, current);
    Object read = serialization.deserialize(
        old.getBytes(java.nio.charset.StandardCharsets.UTF_8), serializer.identifier(), manifest).get();

    assertThat(old).doesNotContain("\"by\"");
    assertThat(read).isEqualTo(new AgentEntity.AgentReconfigured(current.config(), AT, null));
  }

  @Test
  void anAgentRepliedJournaledBeforeItCouldStartAndSettleItsTurnStillReadsAsTheReplyAlone() {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    SessionEvent.AgentReplied current = new SessionEvent.AgentReplied(
        3, "out-2", "hello", 2, List.of(), List.of(), "openai", "gpt-4o-mini", 120, 30, AT);
    org.apache.pekko.serialization.Serializer serializer = serialization.findSerializerFor(current);
    String json = new String(serialization.serialize(current).get(), java.nio.charset.StandardCharsets.UTF_8);
    String old = json.replaceAll(",\\s*\"(started|settled)\"\\s*:\\s*null", "");

    String manifest = org.apache.pekko.serialization.Serializers.manifestFor(serializer, current);
    Object read = serialization.deserialize(
        old.getBytes(java.nio.charset.StandardCharsets.UTF_8), serializer.identifier(), manifest).get();

    assertThat(old).doesNotContain("started").doesNotContain("settled");
    assertThat(read).isEqualTo(current);
    assertThat(((SessionEvent.AgentReplied) read).parts()).containsExactly(current);
  }

  @Test
  void everySessionEventJournaledUnderItsNameInsideSessionEntityStillReads() {
    Serialization serialization = SerializationExtension.get(testKit.system().classicSystem());
    // events that came after the move were never written under the old names
    Set<Class<?>> newer = Set.of(SessionEvent.WindowsChanged.class);
    List<Object> events = samples(testKit).entrySet().stream()
        .filter(entry -> SessionEvent.class.isAssignableFrom(entry.getKey()) && !newer.contains(entry.getKey()))
        .flatMap(entry -> entry.getValue().stream())
        .toList();
    assertThat(Stream.concat(events.stream().map(Object::getClass).distinct(), newer.stream()))
        .containsExactlyInAnyOrder(SessionEvent.class.getPermittedSubclasses());

    for (Object event : events) {
      org.apache.pekko.serialization.Serializer serializer = serialization.findSerializerFor(event);
      byte[] bytes = serialization.serialize(event).get();
      String written = org.apache.pekko.serialization.Serializers.manifestFor(serializer, event);
      String old = "io.layercake.runtime.session.SessionEntity$" + event.getClass().getSimpleName();

      Object read = serialization.deserialize(bytes, serializer.identifier(), old).get();

      assertThat(written).as("what is journaled now").isEqualTo(event.getClass().getName());
      assertThat(read).as(old).isEqualTo(event);
    }
  }

  @Test
  void afterTheWarmUpWritingAnyJournaledSampleBuildsNoSerializer() {
    ActorTestKit fresh = ActorTestKit.create("warm-up");
    try {
      java.util.Set<Class<?>> warmed = JsonWarmUp.warm(fresh.system(), io.layercake.runtime.ShardedEntities.JOURNALED);
      Serialization serialization = SerializationExtension.get(fresh.system().classicSystem());
      com.fasterxml.jackson.databind.ser.DefaultSerializerProvider serializers =
          (com.fasterxml.jackson.databind.ser.DefaultSerializerProvider) JsonWarmUp.mapper(fresh.system()).getSerializerProvider();
      // what the journal holds: messages carrying an actor's address (a reply-to) only ever cross to another node
      List<Object> journaled = samples(fresh).entrySet().stream().filter(entry -> warmed.contains(entry.getKey()))
          .filter(entry -> !entry.getKey().isRecord() || java.util.Arrays.stream(entry.getKey().getRecordComponents())
              .noneMatch(component -> ActorRef.class.isAssignableFrom(component.getType())))
          .flatMap(entry -> entry.getValue().stream()).toList();
      int built = serializers.cachedSerializersCount();

      journaled.forEach(sample -> serialization.serialize(sample).get());

      assertThat(warmed).contains(SessionState.class, SessionState.Turn.class, SessionEvent.MessageReceived.class,
          OrgEntity.State.class, Reservation.class, MessageTemplate.class, SequenceRun.class);
      assertThat(journaled).hasSizeGreaterThan(100);
      assertThat(serializers.cachedSerializersCount()).as("serializers built by the writes").isEqualTo(built);
    } finally {
      fresh.shutdownTestKit();
    }
  }

  @Test
  void javaSerializationIsSwitchedOff() {
    assertThat(testKit.system().settings().config().getBoolean("pekko.actor.allow-java-serialization")).isFalse();
  }

  private static Set<Class<?>> serializableClasses() throws IOException, URISyntaxException {
    Path classes = Path.of(JsonSerializable.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    try (Stream<Path> files = Files.walk(classes)) {
      return files
          .filter(file -> file.toString().endsWith(".class"))
          .map(file -> classes.relativize(file).toString().replace('/', '.').replaceAll("\\.class$", ""))
          .map(SerializationRoundTripTest::load)
          .filter(type -> JsonSerializable.class.isAssignableFrom(type))
          .filter(type -> !type.isInterface() && !Modifier.isAbstract(type.getModifiers()))
          .collect(java.util.stream.Collectors.toSet());
    }
  }

  private static Class<?> load(String name) {
    try {
      return Class.forName(name, false, SerializationRoundTripTest.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(name, e);
    }
  }

}
