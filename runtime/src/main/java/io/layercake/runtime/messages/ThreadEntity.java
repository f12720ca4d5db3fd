package io.layercake.runtime.messages;

import io.layercake.config.EntitySettings;
import io.layercake.runtime.serialization.JsonSerializable;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.cluster.sharding.typed.javadsl.EntityTypeKey;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReply;
import org.apache.pekko.persistence.typed.javadsl.CommandHandlerWithReplyBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehaviorWithEnforcedReplies;
import org.apache.pekko.persistence.typed.javadsl.ReplyEffect;
import org.apache.pekko.persistence.typed.javadsl.RetentionCriteria;

/**
 * A direct-message thread between two people ({@code DirectThread|threadId}, the id derived from
 * the pair, so both find the same thread). It orders the messages, makes a retried send the same
 * message (by the sender's client message id), keeps edits and deletes as events, and records up
 * to where each participant has read. Who may write to whom is decided before a send reaches it
 * ({@link MessagingPolicy}); here only participants act, each on their own messages.
 */
public final class ThreadEntity
    extends EventSourcedBehaviorWithEnforcedReplies<ThreadEntity.Command, ThreadEntity.Event, ThreadState> {
  public static final EntityTypeKey<Command> TYPE_KEY = EntityTypeKey.create(Command.class, "DirectThread");
  public static final String TAG = "direct-messages";
  public static final int MAX_TEXT = 4_000;
  public static final int MAX_CLIENT_ID = 100;

  public sealed interface Command {}

  /** The first send opens the thread between sender and recipient. */
  public record Send(String senderId, String recipientId, String clientMessageId, String text, ActorRef<Reply> replyTo)
      implements Command, JsonSerializable {}

  public record Edit(String userId, String messageId, String text, ActorRef<Reply> replyTo) implements Command, JsonSerializable {}

  public record Delete(String userId, String messageId, ActorRef<Reply> replyTo) implements Command, JsonSerializable {}

  /** The participant has seen the thread up to {@code seq}. */
  public record MarkRead(String userId, long seq, ActorRef<Reply> replyTo) implements Command, JsonSerializable {}

  public record Get(String userId, ActorRef<Reply> replyTo) implements Command, JsonSerializable {}

  public sealed interface Event extends JsonSerializable {}

  public record ThreadOpened(List<String> participants, Instant at) implements Event {}

  public record MessageSent(String messageId, long seq, String senderId, String clientMessageId, String text, Instant at) implements Event {}

  public record MessageEdited(String messageId, long seq, String senderId, String text, Instant at) implements Event {}

  public record MessageDeleted(String messageId, long seq, String senderId, Instant at) implements Event {}

  public record ReadUpTo(String userId, long seq, Instant at) implements Event {}

  public sealed interface Reply extends JsonSerializable {}

  /**
   * The thread as it is now; {@code message}: the one a send, edit or delete was about (null
   * otherwise); {@code repeated}: the send was one the thread already had (the same client message id).
   */
  public record Thread(String threadId, ThreadState state, ThreadState.DirectMessage message, boolean repeated) implements Reply {}

  public record Rejected(Reason reason, String message) implements Reply {}

  public enum Reason {
    NOT_FOUND,
    NOT_YOURS,
    INVALID
  }

  private final String threadId;
  private final EntitySettings settings;
  private final Clock clock;

  private ThreadEntity(String threadId, EntitySettings settings, Clock clock) {
    super(PersistenceId.of(TYPE_KEY.name(), threadId));
    this.threadId = threadId;
    this.settings = settings;
    this.clock = clock;
  }

  public static Behavior<Command> create(String threadId, EntitySettings settings, Clock clock) {
    return new ThreadEntity(threadId, settings, clock);
  }

  /** The one thread of two people, whoever writes first. */
  public static String threadId(String oneUserId, String otherUserId) {
    String pair = oneUserId.compareTo(otherUserId) < 0 ? oneUserId + "|" + otherUserId : otherUserId + "|" + oneUserId;
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(pair.getBytes(StandardCharsets.UTF_8));
      return "dm_" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public ThreadState emptyState() {
    return ThreadState.EMPTY;
  }

  @Override
  public Set<String> tagsFor(Event event) {
    return Set.of(TAG);
  }

  @Override
  public RetentionCriteria retentionCriteria() {
    return RetentionCriteria.snapshotEvery(settings.snapshotEvery(), settings.keepSnapshots());
  }

  @Override
  public CommandHandlerWithReply<Command, Event, ThreadState> commandHandler() {
    CommandHandlerWithReplyBuilder<Command, Event, ThreadState> builder = newCommandHandlerWithReplyBuilder();
    builder.forAnyState()
        .onCommand(Send.class, this::onSend)
        .onCommand(Edit.class, this::onEdit)
        .onCommand(Delete.class, this::onDelete)
        .onCommand(MarkRead.class, this::onMarkRead)
        .onCommand(Get.class, (state, command) -> Effect().reply(command.replyTo(), state.hasParticipant(command.userId())
            ? new Thread(threadId, state, null, false) : notFound()));
    return builder.build();
  }

  private ReplyEffect<Event, ThreadState> onSend(ThreadState state, Send command) {
    if (!threadId.equals(threadId(command.senderId(), command.recipientId())) || command.senderId().equals(command.recipientId())) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "this thread is not between those two people"));
    }
    if (command.clientMessageId() == null || command.clientMessageId().isBlank() || command.clientMessageId().length() > MAX_CLIENT_ID) {
      return Effect().reply(command.replyTo(), new Rejected(Reason.INVALID, "clientMessageId is required, at most " + MAX_CLIENT_ID
          + " characters: a retry with the same id is the same message"));
    }
    var sent = state.sentAs(command.senderId(), command.clientMessageId());
    if (sent.isPresent()) {
      return Effect().reply(command.replyTo(), new Thread(threadId, state, sent.get(), true));
    }
    if (!validText(command.text())) {
      return Effect().reply(command.replyTo(), invalidText());
    }
    Instant now = clock.instant();
    MessageSent event = new MessageSent("dmm_" + threadId.substring(3) + "_" + (state.lastSeq() + 1), state.lastSeq() + 1,
        command.senderId(), command.clientMessageId(), command.text().strip(), now);
    List<Event> events = state.exists() ? List.of(event)
        : List.of(new ThreadOpened(List.of(command.senderId(), command.recipientId()).stream().sorted().toList(), now), event);
    return Effect().persist(events).thenReply(command.replyTo(),
        updated -> new Thread(threadId, updated, updated.message(event.messageId()).orElseThrow(), false));
  }

  private ReplyEffect<Event, ThreadState> onEdit(ThreadState state, Edit command) {
    var found = own(state, command.userId(), command.messageId());
    if (found instanceof Rejected rejected) {
      return Effect().reply(command.replyTo(), rejected);
    }
    if (!validText(command.text())) {
      return Effect().reply(command.replyTo(), invalidText());
    }
    ThreadState.DirectMessage message = ((Thread) found).message();
    return Effect().persist(new MessageEdited(command.messageId(), message.seq(), message.senderId(), command.text().strip(),
            clock.instant()))
        .thenReply(command.replyTo(), updated -> new Thread(threadId, updated, updated.message(command.messageId()).orElseThrow(), false));
  }

  private ReplyEffect<Event, ThreadState> onDelete(ThreadState state, Delete command) {
    var found = own(state, command.userId(), command.messageId());
    if (found instanceof Rejected rejected) {
      return Effect().reply(command.replyTo(), rejected);
    }
    ThreadState.DirectMessage message = ((Thread) found).message();
    if (message.deleted()) {
      return Effect().reply(command.replyTo(), new Thread(threadId, state, message, false));
    }
    return Effect().persist(new MessageDeleted(command.messageId(), message.seq(), message.senderId(), clock.instant()))
        .thenReply(command.replyTo(), updated -> new Thread(threadId, updated, updated.message(command.messageId()).orElseThrow(), false));
  }

  private ReplyEffect<Event, ThreadState> onMarkRead(ThreadState state, MarkRead command) {
    if (!state.hasParticipant(command.userId())) {
      return Effect().reply(command.replyTo(), notFound());
    }
    long upTo = Math.min(command.seq(), state.lastSeq());
    if (upTo <= state.readUpTo().getOrDefault(command.userId(), 0L)) {
      return Effect().reply(command.replyTo(), new Thread(threadId, state, null, false));
    }
    return Effect().persist(new ReadUpTo(command.userId(), upTo, clock.instant()))
        .thenReply(command.replyTo(), updated -> new Thread(threadId, updated, null, false));
  }

  /** The participant's own message, or why not. */
  private Reply own(ThreadState state, String userId, String messageId) {
    if (!state.hasParticipant(userId)) {
      return notFound();
    }
    var message = state.message(messageId);
    if (message.isEmpty()) {
      return new Rejected(Reason.NOT_FOUND, "no message " + messageId + " in this thread");
    }
    if (!message.get().senderId().equals(userId)) {
      return new Rejected(Reason.NOT_YOURS, "only its sender edits or deletes a message");
    }
    return new Thread(threadId, state, message.get(), false);
  }

  private static boolean validText(String text) {
    return text != null && !text.isBlank() && text.length() <= MAX_TEXT;
  }

  private static Rejected invalidText() {
    return new Rejected(Reason.INVALID, "a message has 1 to " + MAX_TEXT + " characters");
  }

  private Rejected notFound() {
    return new Rejected(Reason.NOT_FOUND, "no thread " + threadId);
  }

  @Override
  public EventHandler<ThreadState, Event> eventHandler() {
    return newEventHandlerBuilder().forAnyState()
        .onEvent(ThreadOpened.class, (state, event) -> state.opened(event.participants()))
        .onEvent(MessageSent.class, (state, event) -> state.with(new ThreadState.DirectMessage(event.messageId(), event.seq(),
            event.senderId(), event.clientMessageId(), event.text(), event.at(), null, null)))
        .onEvent(MessageEdited.class, (state, event) -> state.message(event.messageId())
            .map(message -> state.replaced(new ThreadState.DirectMessage(message.messageId(), message.seq(), message.senderId(),
                message.clientMessageId(), event.text(), message.sentAt(), event.at(), message.deletedAt())))
            .orElse(state))
        .onEvent(MessageDeleted.class, (state, event) -> state.message(event.messageId())
            .map(message -> state.replaced(new ThreadState.DirectMessage(message.messageId(), message.seq(), message.senderId(),
                message.clientMessageId(), "", message.sentAt(), message.editedAt(), event.at())))
            .orElse(state))
        .onEvent(ReadUpTo.class, (state, event) -> state.read(event.userId(), event.seq()))
        .build();
  }
}
