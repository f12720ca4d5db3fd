package io.layercake.http.setup;

import io.layercake.http.webchat.WebchatHub;
import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.agent.AgentImporter;
import io.layercake.runtime.channel.WebchatEvent;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.session.InboundMessage;
import io.layercake.runtime.session.SessionEntity;
import io.layercake.runtime.session.SessionKey;
import io.layercake.runtime.session.SessionReply;
import io.layercake.runtime.session.Sessions;
import io.layercake.runtime.setup.SetupState;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * The setup's test chat: the generated configuration and documents answer through the same turn
 * as production (tools, approvals, knowledge, credits: a test turn is charged like any turn), on
 * the {@code test} channel. Before each message the files are imported as the setup's test agent
 * ({@code draft-{setupId}}, named "… (test)"), its documents tagged with the setup's private tag
 * (so no other agent reads them) and the previous test documents removed.
 */
public final class SetupTestChat {
  public static final String CHANNEL = "test";

  private final AgentImporter importer;
  private final KnowledgeDocuments documents;
  private final Sessions sessions;
  private final WebchatHub hub;
  private final Duration replyTimeout;
  private final Executor executor;

  public SetupTestChat(
      AgentImporter importer, KnowledgeDocuments documents, Sessions sessions, WebchatHub hub, Duration replyTimeout, Executor executor) {
    this.importer = importer;
    this.documents = documents;
    this.sessions = sessions;
    this.hub = hub;
    this.replyTimeout = replyTimeout;
    this.executor = executor;
  }

  /** What the test agent did with the message: its replies, and what waits for a person. */
  public record TestTurn(String sessionId, String agentId, String status, List<String> replies, List<PendingApproval> pendingApprovals) {}

  /** {@code kind}: tool (a tool call) or reply (a drafted reply); {@code toolName} for a tool. */
  public record PendingApproval(String kind, String toolName) {}

  public sealed interface Outcome {}

  public record Answered(TestTurn turn) implements Outcome {}

  public record Refused(boolean conflict, String message) implements Outcome {}

  private static final String AGENT_PREFIX = "draft-";

  public static String agentId(String setupId) {
    return AGENT_PREFIX + setupId;
  }

  public static boolean isTestAgent(String agentId) {
    return agentId.startsWith(AGENT_PREFIX + "set_");
  }

  /** The tag only the setup's test agent reads (see {@link KnowledgeDocument#PRIVATE_TAG_PREFIX}). */
  static String privateTag(String setupId) {
    String tag = KnowledgeDocument.PRIVATE_TAG_PREFIX + setupId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    return tag.length() > 50 ? tag.substring(0, 50) : tag;
  }

  public CompletionStage<Outcome> ask(String setupId, SetupState state, String text, String by) {
    SetupConnection.Draft draft = SetupConnection.draft(setupId, state);
    if (!draft.problems().isEmpty()) {
      return CompletableFuture.completedFuture(new Refused(false, String.join("; ", draft.problems())));
    }
    AgentImporter.Bundle bundle = testBundle(setupId, draft.bundle());
    return importer.connect(bundle, by).thenComposeAsync(imported -> {
      if (imported instanceof AgentImporter.Refused refused) {
        return CompletableFuture.completedFuture(new Refused(refused.conflict(), String.join("; ", refused.problems())));
      }
      List<String> current = ((AgentImporter.Imported) imported).result().documentIds();
      return removeStale(bundle.agent().orgId(), privateTag(setupId), current)
          .thenComposeAsync(removed -> send(bundle, setupId, text), executor);
    }, executor);
  }

  private CompletionStage<Outcome> send(AgentImporter.Bundle bundle, String setupId, String text) {
    String contact = "setup-" + setupId;
    String sessionId = new SessionKey(bundle.agentId(), CHANNEL, contact).sessionId();
    CompletableFuture<WebchatEvent> reply = hub.next(sessionId, replyTimeout);
    return sessions.receive(new InboundMessage(bundle.agent().orgId(), bundle.agentId(), CHANNEL, contact,
            "setup-test-" + UUID.randomUUID(), text))
        .thenComposeAsync(received -> {
          if (!(received instanceof SessionReply.Received)) {
            reply.cancel(false);
            return CompletableFuture.completedFuture((WebchatEvent) null);
          }
          return reply.handle((event, timeout) -> event);
        }, executor)
        .thenComposeAsync(event -> sessions.conversation(sessionId).thenApply(view -> {
          List<String> replies = event == null ? List.of() : List.of(event.text());
          List<PendingApproval> pending = new ArrayList<>();
          String status = event == null ? "waiting" : "answered";
          if (view instanceof SessionReply.Conversation found) {
            SessionReply.ConversationView conversation = found.view();
            conversation.pendingApprovals().forEach(approval -> pending.add(
                new PendingApproval(approval.kind().name().toLowerCase(Locale.ROOT), approval.toolName())));
            status = event != null ? "answered" : !pending.isEmpty() ? "awaiting_approval"
                : conversation.status().name().toLowerCase(Locale.ROOT);
          }
          return (Outcome) new Answered(new TestTurn(sessionId, bundle.agentId(), status, replies, pending));
        }), executor);
  }

  /** The generated agent as the setup's test agent: its own id and name, reading only the setup's private documents. */
  private static AgentImporter.Bundle testBundle(String setupId, AgentImporter.Bundle generated) {
    String tag = privateTag(setupId);
    AgentConfig config = generated.agent();
    AgentConfig test = new AgentConfig(config.orgId(), truncate(config.name() + " (test)", 120), config.persona(), config.faq(),
        config.tools(), config.autonomy(), List.of(tag), config.model(), config.unavailableMessage(), config.greeting(),
        config.languages(), config.businessHours(), config.doubleTexting(), config.webchat());
    List<AgentImporter.Document> documents = generated.documents().stream()
        .map(document -> new AgentImporter.Document(document.title(), withPrivateTag(document.tags(), config.knowledgeTags(), tag),
            document.markdown()))
        .toList();
    return new AgentImporter.Bundle(generated.bundleId().replaceFirst("^setup-", "setup-test-"), agentId(setupId), test, documents,
        List.of());
  }

  /** The document's topic tag stays; the agent's own tags give way to the private one. */
  private static List<String> withPrivateTag(List<String> tags, List<String> agentTags, String tag) {
    List<String> kept = new ArrayList<>(tags.stream().filter(existing -> !agentTags.contains(existing)).toList());
    kept.add(0, tag);
    return kept;
  }

  private CompletionStage<Void> removeStale(String orgId, String tag, List<String> current) {
    return documents.list(orgId).thenComposeAsync(stored -> SetupConnection.deleteAll(documents, orgId, stored.stream()
        .filter(document -> document.tags().contains(tag) && !current.contains(document.documentId()))
        .map(document -> document.documentId()).toList(), executor), executor);
  }


  private static String truncate(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length);
  }
}
