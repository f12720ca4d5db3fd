package io.layercake.runtime.reference;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.config.Secret;
import io.layercake.runtime.channel.Binding;
import io.layercake.runtime.channel.ChannelAccount;
import io.layercake.runtime.channel.ChannelDirectory;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.knowledge.KnowledgeDocuments;
import io.layercake.runtime.knowledge.StoredDocument;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.pubsub.Topic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Reference data kept on a node: a hit does not query the port again; a change through the cached
 * port, or one announced by another node on the cluster topic, makes the next read see the new value.
 */
class ReferenceDataTest {
  private static final ActorTestKit testKit = ActorTestKit.create();
  private static final Duration WITHIN = Duration.ofSeconds(10);
  private static final Instant AT = Instant.parse("2026-12-04T12:00:00Z");

  private final ReferenceData data = ReferenceData.get(testKit.system());

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  @Test
  void theNumberAndTheTokenAreReadOnceAndARotatedTokenOrRebindingIsSeenAtOnce() {
    CountingDirectory stored = new CountingDirectory();
    ChannelDirectory directory = new CachedChannelDirectory(stored, data);
    stored.accounts.put("org-1", "token-1");
    stored.addresses.put("agent-1", "1065");

    for (int turn = 0; turn < 3; turn++) {
      assertThat(directory.account("org-1", "whatsapp").toCompletableFuture().join().accessToken().reveal())
          .isEqualTo("token-1");
      assertThat(directory.addressOf("agent-1", "whatsapp").toCompletableFuture().join()).contains("1065");
      assertThat(directory.agentAt("whatsapp", "1065").toCompletableFuture().join()).isPresent();
    }
    assertThat(stored.reads).as("one look-up each, not one per turn").hasValue(3);

    directory.saveAccount(new ChannelAccount("org-1", "whatsapp", Secret.of("token-2"), null, null))
        .toCompletableFuture().join();
    assertThat(directory.account("org-1", "whatsapp").toCompletableFuture().join().accessToken().reveal())
        .isEqualTo("token-2");
    directory.bind(new Binding("whatsapp", "2077", "org-1", "agent-1")).toCompletableFuture().join();
    assertThat(directory.addressOf("agent-1", "whatsapp").toCompletableFuture().join()).contains("2077");
    assertThat(directory.agentAt("whatsapp", "1065").toCompletableFuture().join()).isEmpty();
  }

  @Test
  void knowledgeIsReadOnceAndADocumentAddedOrRemovedIsSeenAtOnce() {
    CountingDocuments stored = new CountingDocuments();
    KnowledgeDocuments documents = new CachedKnowledgeDocuments(stored, data);
    stored.save(document("doc-1"));

    for (int turn = 0; turn < 3; turn++) {
      assertThat(documents.readyForPrompts("org-1").toCompletableFuture().join()).hasSize(1);
    }
    assertThat(stored.reads).hasValue(1);

    documents.save(document("doc-2")).toCompletableFuture().join();
    assertThat(documents.readyForPrompts("org-1").toCompletableFuture().join()).hasSize(2);
    documents.delete("org-1", "doc-1").toCompletableFuture().join();
    assertThat(documents.readyForPrompts("org-1").toCompletableFuture().join())
        .extracting(KnowledgeDocument::documentId).containsExactly("doc-2");
    assertThat(stored.reads).hasValue(3);
  }

  @Test
  void aChangeAnnouncedByAnotherNodeOnTheTopicIsForgottenHere() {
    NodeCache<String> agents = data.cache(ReferenceData.AGENTS);
    AtomicInteger asks = new AtomicInteger();
    agents.get("agent-9", () -> {
      asks.incrementAndGet();
      return CompletableFuture.completedFuture("paused? no");
    }).join();
    // Another node's topic actor: its publication reaches this node's subscriber through the
    // receptionist, as across the cluster; nothing is evicted locally by the publisher here.
    ActorRef<Topic.Command<ReferenceChanged>> otherNode =
        testKit.spawn(Topic.create(ReferenceChanged.class, "layercake-reference-data"));

    TestProbe<Object> probe = testKit.createTestProbe();
    probe.awaitAssert(WITHIN, () -> {
      otherNode.tell(Topic.publish(new ReferenceChanged(ReferenceData.AGENTS, "agent-9")));
      assertThat(agents.get("agent-9", () -> CompletableFuture.completedFuture("paused")).join()).isEqualTo("paused");
      return null;
    });
    assertThat(asks).hasValue(1);
  }

  private static StoredDocument document(String id) {
    return new StoredDocument(id, "org-1", id, List.of(), "text/plain", StoredDocument.Status.READY, null, 4, "text",
        AT, AT);
  }

  /** A channel directory in memory that counts its reads. */
  private static final class CountingDirectory implements ChannelDirectory {
    final AtomicInteger reads = new AtomicInteger();
    final Map<String, String> accounts = new ConcurrentHashMap<>();
    final Map<String, String> addresses = new ConcurrentHashMap<>();

    @Override
    public CompletionStage<Optional<Binding>> agentAt(String channel, String address) {
      reads.incrementAndGet();
      return CompletableFuture.completedFuture(addresses.entrySet().stream()
          .filter(entry -> entry.getValue().equals(address))
          .map(entry -> new Binding(channel, address, "org-1", entry.getKey())).findFirst());
    }

    @Override
    public CompletionStage<Optional<String>> addressOf(String agentId, String channel) {
      reads.incrementAndGet();
      return CompletableFuture.completedFuture(Optional.ofNullable(addresses.get(agentId)));
    }

    @Override
    public CompletionStage<Binding> bind(Binding binding) {
      addresses.put(binding.agentId(), binding.address());
      return CompletableFuture.completedFuture(binding);
    }

    @Override
    public CompletionStage<Boolean> unbind(String agentId, String channel, String address) {
      return CompletableFuture.completedFuture(addresses.remove(agentId, address));
    }

    @Override
    public CompletionStage<List<Binding>> bindings(String orgId) {
      return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<ChannelAccount> account(String orgId, String channel) {
      reads.incrementAndGet();
      return CompletableFuture.completedFuture(
          new ChannelAccount(orgId, channel, Secret.of(accounts.getOrDefault(orgId, "")), null, null));
    }

    @Override
    public CompletionStage<Optional<ChannelAccount>> accountWithEntity(String channel, String entityId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<ChannelAccount> saveAccount(ChannelAccount account) {
      accounts.put(account.orgId(), account.accessToken().reveal());
      return CompletableFuture.completedFuture(account);
    }
  }

  /** Knowledge documents in memory that count the prompt reads. */
  private static final class CountingDocuments implements KnowledgeDocuments {
    final AtomicInteger reads = new AtomicInteger();
    final List<StoredDocument> documents = new CopyOnWriteArrayList<>();

    @Override
    public CompletionStage<Optional<StoredDocument>> finishExtraction(StoredDocument document) {
      throw new UnsupportedOperationException("these tests add no PDFs");
    }

    @Override
    public CompletionStage<Void> extractionProgress(String orgId, String documentId, int percent) {
      throw new UnsupportedOperationException("these tests add no PDFs");
    }

    @Override
    public CompletionStage<StoredDocument> save(StoredDocument document) {
      documents.add(document);
      return CompletableFuture.completedFuture(document);
    }

    @Override
    public CompletionStage<List<StoredDocument>> list(String orgId) {
      return CompletableFuture.completedFuture(List.copyOf(documents));
    }

    @Override
    public CompletionStage<Optional<StoredDocument>> get(String orgId, String documentId) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<List<KnowledgeDocument>> readyForPrompts(String orgId) {
      reads.incrementAndGet();
      List<KnowledgeDocument> ready = new ArrayList<>();
      documents.forEach(document -> ready.add(new KnowledgeDocument(document.documentId(), document.orgId(),
          document.title(), document.tags(), document.text(), document.updatedAt())));
      return CompletableFuture.completedFuture(ready);
    }

    @Override
    public CompletionStage<Optional<StoredDocument>> updateTags(String orgId, String documentId, List<String> tags) {
      return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Boolean> delete(String orgId, String documentId) {
      return CompletableFuture.completedFuture(documents.removeIf(document -> document.documentId().equals(documentId)));
    }
  }
}
