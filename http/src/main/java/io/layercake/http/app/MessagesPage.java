package io.layercake.http.app;

import io.layercake.runtime.messages.DirectThreads;
import io.layercake.runtime.messages.Messaging;
import io.layercake.runtime.messages.MessagingPolicy;
import io.layercake.runtime.messages.ThreadEntity;
import io.layercake.runtime.messages.ThreadState;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/** Reads what the messages page shows; sending, reading and every choice go through the REST API. */
public final class MessagesPage {
  private static final int THREADS = 100;
  private static final int SHOWN = 100;

  private final DirectThreads threads;
  private final Messaging messaging;
  private final Executor executor;

  public MessagesPage(DirectThreads threads, Messaging messaging, Executor executor) {
    this.threads = threads;
    this.messaging = messaging;
    this.executor = executor;
  }

  public CompletionStage<MessagesView> view(String userId, Optional<String> threadId, Instant now) {
    CompletableFuture<List<Messaging.InboxThread>> inbox = messaging.inbox(userId, THREADS).toCompletableFuture();
    CompletableFuture<Optional<MessagesView.Open>> open = threadId
        .map(id -> threads.get(id, userId).thenCompose(reply -> reply instanceof ThreadEntity.Thread thread
            ? messaging.name(thread.state().other(userId)).thenApply(name -> Optional.of(open(thread, userId, name.orElse("someone"), now)))
            : CompletableFuture.completedFuture(Optional.<MessagesView.Open>empty())).toCompletableFuture())
        .orElseGet(() -> CompletableFuture.completedFuture(Optional.empty()));
    CompletableFuture<List<MessagesView.Contact>> contacts = contacts(userId).toCompletableFuture();
    return CompletableFuture.allOf(inbox, open, contacts).thenApply(done -> new MessagesView(inbox.join().stream()
        .map(thread -> new MessagesView.Thread(thread.threadId(), name(thread.otherName()), thread.lastPreview(),
            PageContext.ago(thread.lastMessageAt(), now), thread.unread(), threadId.map(thread.threadId()::equals).orElse(false)))
        .toList(), open.join(), contacts.join()));
  }

  private static MessagesView.Open open(ThreadEntity.Thread thread, String userId, String with, Instant now) {
    ThreadState state = thread.state();
    String other = state.other(userId);
    long seen = state.readUpTo().getOrDefault(other, 0L);
    List<ThreadState.DirectMessage> all = state.messages();
    List<MessagesView.Message> messages = all.subList(Math.max(0, all.size() - SHOWN), all.size()).stream()
        .map(message -> new MessagesView.Message(message.seq(), message.senderId().equals(userId), message.text(),
            PageContext.ago(message.sentAt(), now), message.editedAt() != null, message.deleted(),
            message.senderId().equals(userId) && message.seq() <= seen))
        .toList();
    return new MessagesView.Open(thread.threadId(), with, other, messages, state.lastSeq(), seen);
  }

  /** The people I may write to, named with their organization. */
  private CompletionStage<List<MessagesView.Contact>> contacts(String userId) {
    return messaging.person(userId).thenCompose(me -> messaging.contacts(userId).thenComposeAsync(found -> {
      List<CompletableFuture<Optional<MessagesView.Contact>>> decided = found.stream()
          .map(contact -> messaging.person(contact.userId()).thenApply(them -> me.isPresent() && them.isPresent()
              && MessagingPolicy.decide(me.get(), them.get()).allowed()
              ? Optional.of(new MessagesView.Contact(contact.userId(), contact.name() + " · " + contact.orgName()))
              : Optional.<MessagesView.Contact>empty()).toCompletableFuture())
          .toList();
      return CompletableFuture.allOf(decided.toArray(CompletableFuture[]::new)).thenApply(done -> decided.stream()
          .map(CompletableFuture::join).flatMap(Optional::stream).distinct().toList());
    }, executor));
  }

  private static String name(String name) {
    return name == null ? "someone" : name;
  }
}
