package io.layercake.http.app;

import io.layercake.http.api.Caller;
import io.layercake.http.api.PageCursor;
import io.layercake.http.api.Teammates;
import io.layercake.runtime.access.OrgDirectory;
import io.layercake.runtime.access.Scopes;
import io.layercake.runtime.channel.MessagingWindows;
import io.layercake.runtime.inbox.Assignments;
import io.layercake.runtime.inbox.CannedReplies;
import io.layercake.runtime.inbox.ConversationNotes;
import io.layercake.runtime.inbox.ReadMarks;
import io.layercake.runtime.outreach.WhatsAppTemplate;
import io.layercake.runtime.outreach.WhatsAppTemplates;
import io.layercake.runtime.session.ConversationListing.ConversationQuery;
import io.layercake.runtime.session.ConversationListing.ConversationSummary;
import io.layercake.runtime.session.ConversationListing.MessageRecord;
import io.layercake.runtime.session.ConversationListing;
import io.layercake.runtime.session.ConversationTimeline;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * Reads the inbox of the organization a person acts for and its clients: a page of conversations
 * with previews, who looks after each and whether the person has read it; and the open conversation,
 * which counts as read once shown. Everything a person does there goes through the REST API.
 */
public final class InboxPage {
  static final int PAGE = 50;
  private static final int MESSAGES = 50;
  private static final Set<String> STATUSES = Set.of("active", "handed_off", "closed");
  private static final Set<String> CHANNELS = Set.of("whatsapp", "sms", "webchat", "instagram");

  private final ConversationListing listing;
  private final Sessions sessions;
  private final OrgDirectory directory;
  private final Assignments assignments;
  private final ConversationNotes notes;
  private final ReadMarks reads;
  private final CannedReplies cannedReplies;
  private final Teammates teammates;
  private final Function<String, CompletionStage<List<ConversationTimeline.Step>>> timelines;
  private final WhatsAppTemplates templates;
  private final Executor executor;

  public InboxPage(ConversationListing listing, Sessions sessions, OrgDirectory directory, Assignments assignments, ConversationNotes notes,
      ReadMarks reads, CannedReplies cannedReplies, Teammates teammates,
      Function<String, CompletionStage<List<ConversationTimeline.Step>>> timelines, WhatsAppTemplates templates, Executor executor) {
    this.timelines = timelines;
    this.templates = templates;
    this.listing = listing;
    this.sessions = sessions;
    this.directory = directory;
    this.assignments = assignments;
    this.notes = notes;
    this.reads = reads;
    this.cannedReplies = cannedReplies;
    this.teammates = teammates;
    this.executor = executor;
  }

  /** Why a person's free text cannot reach the customer now, or empty. */
  private static String windowClosed(String channel, SessionReply live, Instant now) {
    Instant lastInbound = live instanceof SessionReply.Conversation current ? current.view().lastInboundAt() : null;
    if (!(live instanceof SessionReply.Conversation) || !MessagingWindows.closed(channel, lastInbound, true, now)) {
      return "";
    }
    String name = MessagingWindows.display(channel);
    return MessagingWindows.takesTemplates(channel)
        ? (lastInbound == null ? "The customer has not written on " + name + " yet" : name + "'s 24-hour window is closed")
            + ": only an approved template reaches them until they write again."
        : name + "'s window is closed: the customer has to write again first.";
  }

  /** Filters as asked, anything unknown ignored. */
  public static InboxView.Filters filters(Map<String, String> parameters) {
    String q = parameters.getOrDefault("q", "").strip();
    String status = parameters.getOrDefault("status", "");
    String channel = parameters.getOrDefault("channel", "");
    String assignee = parameters.getOrDefault("assignee", "");
    return new InboxView.Filters(q.length() > 200 ? q.substring(0, 200) : q, STATUSES.contains(status) ? status : "",
        CHANNELS.contains(channel) ? channel : "", assignee.matches("me|none") ? assignee : "");
  }

  /** The organizations whose conversations the person sees here, by id with their names. */
  public CompletionStage<Map<String, String>> organizations(Caller caller, String orgName) {
    return directory.children(caller.orgId()).thenApply(children -> {
      Map<String, String> names = new LinkedHashMap<>();
      names.put(caller.orgId(), orgName);
      children.forEach(child -> names.put(child.orgId(), child.name()));
      return names;
    });
  }

  /** What happened in the conversation, from its journal, when it is one of these organizations'. */
  public CompletionStage<Optional<List<InboxView.Step>>> timeline(Map<String, String> organizations, String sessionId, Instant now) {
    return visible(organizations, Optional.of(sessionId)).thenCompose(visible -> visible.isEmpty()
        ? CompletableFuture.completedFuture(Optional.<List<InboxView.Step>>empty())
        : timelines.apply(sessionId).thenApply(steps -> Optional.of(steps.stream()
            .map(step -> new InboxView.Step(step.sequence(), PageContext.ago(step.at(), now), step.summary())).toList())));
  }

  /** The conversation, when it is one of these organizations'; another tenant's is as good as none. */
  public CompletionStage<Optional<String>> visible(Map<String, String> organizations, Optional<String> sessionId) {
    if (sessionId.isEmpty()) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    return listing.conversation(sessionId.get()).thenApply(found -> found
        .filter(conversation -> organizations.containsKey(conversation.orgId()))
        .map(ConversationSummary::sessionId));
  }

  public CompletionStage<InboxView> view(Caller caller, Map<String, String> organizations, InboxView.Filters filters,
      Optional<String> cursor, Optional<String> openSessionId, Optional<Long> olderThan, Instant now) {
    String userId = caller.person().map(person -> person.user().userId()).orElse("");
    Optional<List<String>> after = cursor.flatMap(value -> PageCursor.decode(value, 2));
    ConversationQuery query = new ConversationQuery(List.copyOf(organizations.keySet()), blankToNull(filters.status()),
        blankToNull(filters.channel()), null, null, null, blankToNull(filters.q()),
        filters.assignee().equals("me") ? userId : blankToNull(filters.assignee()),
        after.map(parts -> Instant.parse(parts.get(0))).orElse(null), after.map(parts -> parts.get(1)).orElse(null), PAGE);
    // the marks first: whatever changes after them, the page's live stream reports
    CompletableFuture<String> inboxMark = listing.changeMark(List.copyOf(organizations.keySet())).toCompletableFuture();
    CompletableFuture<String> conversationMark = openSessionId.map(id -> listing.changeMark(id).toCompletableFuture())
        .orElseGet(() -> CompletableFuture.completedFuture(""));
    return inboxMark.thenCombine(conversationMark, InboxView.Marks::new).thenComposeAsync(marks ->
        view(caller, organizations, filters, query, openSessionId, olderThan, now, marks), executor);
  }

  private CompletionStage<InboxView> view(Caller caller, Map<String, String> organizations, InboxView.Filters filters,
      ConversationQuery query, Optional<String> openSessionId, Optional<Long> olderThan, Instant now, InboxView.Marks marks) {
    String userId = caller.person().map(person -> person.user().userId()).orElse("");
    CompletableFuture<Optional<InboxView.Conversation>> open = openSessionId
        .map(sessionId -> conversation(caller, organizations, sessionId, olderThan, now).toCompletableFuture())
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
    return listing.search(query).thenComposeAsync(found -> {
      List<String> sessionIds = found.stream().map(ConversationSummary::sessionId).toList();
      CompletableFuture<Map<String, MessageRecord>> previews = listing.lastMessages(sessionIds).toCompletableFuture();
      CompletableFuture<Map<String, Assignments.Assignment>> assigned = assignments.of(sessionIds).toCompletableFuture();
      CompletableFuture<Map<String, Long>> seen = reads.seen(userId, sessionIds).toCompletableFuture();
      CompletableFuture<Map<String, String>> names = teamNames(organizations.keySet()).toCompletableFuture();
      return CompletableFuture.allOf(previews, assigned, seen, names, open).thenApplyAsync(done -> {
        List<InboxView.Row> rows = new ArrayList<>();
        for (ConversationSummary conversation : found) {
          MessageRecord last = previews.join().get(conversation.sessionId());
          Assignments.Assignment assignment = assigned.join().get(conversation.sessionId());
          rows.add(new InboxView.Row(conversation.sessionId(), conversation.contact(), conversation.channel(),
              organizations.getOrDefault(conversation.orgId(), conversation.orgId()), conversation.status(),
              conversation.status().equals("handed_off"),
              conversation.messageCount() > seen.join().getOrDefault(conversation.sessionId(), 0L)
                  && !openSessionId.map(conversation.sessionId()::equals).orElse(false),
              assignment == null ? "" : names.join().getOrDefault(assignment.userId(), assignment.userId()),
              last == null ? "" : (last.direction().equals("inbound") ? "" : "You: ") + shorten(last.text()),
              PageContext.ago(conversation.lastMessageAt(), now), openSessionId.map(conversation.sessionId()::equals).orElse(false)));
        }
        ConversationSummary lastRow = found.isEmpty() ? null : found.get(found.size() - 1);
        return new InboxView(filters, rows,
            found.size() < PAGE || lastRow == null ? null : PageCursor.encode(lastRow.lastMessageAt(), lastRow.sessionId()), open.join(),
            marks);
      }, executor);
    }, executor);
  }

  private CompletionStage<Optional<InboxView.Conversation>> conversation(Caller caller, Map<String, String> organizations,
      String sessionId, Optional<Long> olderThan, Instant now) {
    return listing.conversation(sessionId).thenComposeAsync(found -> {
      if (found.isEmpty() || !organizations.containsKey(found.get().orgId())) {
        return CompletableFuture.completedFuture(Optional.<InboxView.Conversation>empty());
      }
      ConversationSummary conversation = found.get();
      CompletableFuture<List<MessageRecord>> messages =
          listing.messagesBefore(sessionId, olderThan.orElse(Long.MAX_VALUE), MESSAGES + 1).toCompletableFuture();
      CompletableFuture<List<ConversationNotes.Note>> written = notes.of(sessionId).toCompletableFuture();
      CompletableFuture<Map<String, Assignments.Assignment>> assigned = assignments.of(List.of(sessionId)).toCompletableFuture();
      CompletableFuture<List<Teammates.Teammate>> team = teammates.of(conversation.orgId()).toCompletableFuture();
      // the conversation's organization's replies, and its agency's
      CompletableFuture<List<CannedReplies.CannedReply>> ready = directory.find(conversation.orgId())
          .thenCompose(entry -> cannedReplies.of(entry.map(OrgDirectory.OrgEntry::parentOrgId).filter(parent -> parent != null)
              .map(parent -> List.of(conversation.orgId(), parent)).orElse(List.of(conversation.orgId()))))
          .toCompletableFuture();
      // the status a person just changed is the conversation's own, before the read model has it
      CompletableFuture<SessionReply> live = sessions.conversation(sessionId).toCompletableFuture();
      CompletableFuture<List<WhatsAppTemplate>> approved = MessagingWindows.takesTemplates(conversation.channel())
          ? templates.of(conversation.orgId()).thenApply(all -> all.stream().filter(WhatsAppTemplate::approved).toList()).toCompletableFuture()
          : CompletableFuture.completedFuture(List.of());
      CompletableFuture<Void> markedRead = caller.person()
          .map(person -> reads.seen(person.user().userId(), sessionId, conversation.messageCount()).toCompletableFuture())
          .orElseGet(() -> CompletableFuture.completedFuture(null));
      return CompletableFuture.allOf(messages, written, assigned, team, ready, markedRead, live, approved).thenApplyAsync(done -> {
        String status = live.join() instanceof SessionReply.Conversation current
            ? current.view().status().name().toLowerCase(java.util.Locale.ROOT) : conversation.status();
        List<MessageRecord> page = messages.join();
        boolean older = page.size() > MESSAGES;
        List<MessageRecord> shown = older ? page.subList(1, page.size()) : page;
        Assignments.Assignment assignment = assigned.join().get(sessionId);
        return Optional.of(new InboxView.Conversation(sessionId, conversation.contact(), conversation.channel(),
            organizations.getOrDefault(conversation.orgId(), conversation.orgId()), conversation.agentId(), status,
            conversation.creditsUsed(), caller.scopes().contains(Scopes.CONVERSATIONS_WRITE), assignment == null ? "" : assignment.userId(),
            team.join().stream().map(teammate -> new InboxView.Teammate(teammate.userId(), teammate.name())).toList(),
            shown.stream().map(message -> message(message, now)).toList(),
            older && !shown.isEmpty() ? shown.get(0).sequence() : null,
            written.join().stream().map(note -> new InboxView.Note(note.author().replaceAll(" \\((user|key):[^)]*\\)$", ""), note.text(),
                PageContext.ago(note.createdAt(), now))).toList(),
            ready.join().stream().map(reply -> new InboxView.CannedReply(reply.title(), reply.text())).toList(),
            windowClosed(conversation.channel(), live.join(), now),
            approved.join().stream().map(template -> new InboxView.TemplateOption(template.name() + "|" + template.language(),
                template.name(), template.language(), template.parameters().size(), template.body())).toList()));
      }, executor);
    }, executor);
  }

  /** The names of everyone who can work these organizations' conversations, by user id. */
  private CompletionStage<Map<String, String>> teamNames(Set<String> orgIds) {
    List<CompletableFuture<List<Teammates.Teammate>>> teams =
        orgIds.stream().map(orgId -> teammates.of(orgId).toCompletableFuture()).toList();
    return CompletableFuture.allOf(teams.toArray(CompletableFuture[]::new)).thenApply(done -> {
      Map<String, String> names = new LinkedHashMap<>();
      teams.forEach(team -> team.join().forEach(teammate -> names.putIfAbsent(teammate.userId(), teammate.name())));
      return names;
    });
  }

  private static InboxView.Message message(MessageRecord message, Instant now) {
    String from = message.direction().equals("inbound") ? "customer" : message.kind().equals("human") ? "team" : "agent";
    return new InboxView.Message(from, message.author(), message.text(), PageContext.ago(message.createdAt(), now),
        ticks(message), message.reaction() == null ? "" : message.reaction());
  }

  private static String ticks(MessageRecord message) {
    if (message.direction().equals("inbound") || message.deliveryStatus() == null) {
      return "";
    }
    return switch (message.deliveryStatus()) {
      case "read" -> "✓✓ read";
      case "delivered" -> "✓✓ delivered";
      case "sent" -> "✓ sent";
      case "failed" -> "failed" + (message.failure() == null ? "" : ": " + message.failure());
      default -> message.deliveryStatus();
    };
  }

  private static String shorten(String text) {
    return text.length() <= 90 ? text : text.substring(0, 89) + "…";
  }

  private static String blankToNull(String value) {
    return value.isEmpty() ? null : value;
  }
}
