package io.layercake.http.messages;

import io.layercake.http.api.ApiAccess;
import io.layercake.http.api.Caller;
import io.layercake.http.api.contract.ApiOperation;
import io.layercake.http.server.Json;
import io.layercake.http.server.LiveCount;
import io.layercake.runtime.messages.DirectThreads;
import io.layercake.runtime.messages.Messaging;
import io.layercake.runtime.messages.MessagingPolicy;
import io.layercake.runtime.messages.ThreadEntity;
import io.layercake.runtime.messages.ThreadState;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Function;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Direct messages in the API: my threads with unread counts, a thread's messages, sending (exactly
 * once per client message id), editing and deleting my own, read receipts, the live unread count,
 * the people I may write to, my rule and blocks, and an organization's switch for messages across
 * organizations. Who may write to whom is {@link MessagingPolicy}'s; a person one may not reach at
 * all is answered like a person that does not exist.
 */
public final class DirectMessageApiRoutes extends AllDirectives {
  private static final int INBOX = 100;
  private static final int MESSAGES = 100;
  private static final Duration LONGEST_REMINDER = Duration.ofDays(7);

  private final ApiAccess access;
  private final DirectThreads threads;
  private final Messaging messaging;
  private final Clock clock;
  private final Executor executor;

  public DirectMessageApiRoutes(ApiAccess access, DirectThreads threads, Messaging messaging, Clock clock, Executor executor) {
    this.access = access;
    this.threads = threads;
    this.messaging = messaging;
    this.clock = clock;
    this.executor = executor;
  }

  public record PersonView(String userId, String name) {}

  public record ThreadSummary(String threadId, PersonView with, Instant lastMessageAt, String lastPreview, boolean lastFromMe,
      long unread) {}

  public record Inbox(List<ThreadSummary> threads, long unread) {}

  public record MessageView(String messageId, long seq, String senderId, boolean fromMe, String text, Instant sentAt, Instant editedAt,
      boolean deleted) {}

  /** {@code readByThem}: up to which message the other person has read (read receipts). */
  public record ThreadView(String threadId, String withUserId, List<MessageView> messages, long readByMe, long readByThem) {}

  public record Sent(String threadId, MessageView message) {}

  public record NewThreadBody(String to, String clientMessageId, String text) {}

  public record MessageBody(String clientMessageId, String text) {}

  public record EditBody(String text) {}

  public record ReadBody(Long seq) {}

  public record ContactView(String userId, String name, String orgId, String orgName, boolean mayMessage, String reason) {}

  public record Contacts(List<ContactView> contacts) {}

  public record SettingsView(String whoMayMessage, long remindAfterMinutes, List<String> blocked) {}

  public record SettingsBody(String whoMayMessage, Long remindAfterMinutes) {}

  public record OrganizationMessaging(String orgId, boolean allowCrossOrgMessaging) {}

  public record OrganizationMessagingBody(Boolean allowCrossOrgMessaging) {}

  public Route routes(Caller caller) {
    return concat(
        access.operation(caller, ApiOperation.LIST_DM_THREADS, match -> person(caller, me ->
            onSuccess(messaging.inbox(me, INBOX), found -> complete(StatusCodes.OK, inbox(me, found), Json.marshaller())))),
        access.operation(caller, ApiOperation.START_DM, match -> person(caller, me ->
            entity(Jackson.unmarshaller(Json.MAPPER, NewThreadBody.class), body -> send(me, body.to(), body.clientMessageId(),
                body.text())))),
        access.operation(caller, ApiOperation.GET_DM_THREAD, match -> person(caller, me ->
            thread(me, match.variable("threadId"), state -> complete(StatusCodes.OK, view(match.variable("threadId"), me, state),
                Json.marshaller())))),
        access.operation(caller, ApiOperation.SEND_DM, match -> person(caller, me ->
            entity(Jackson.unmarshaller(Json.MAPPER, MessageBody.class), body -> thread(me, match.variable("threadId"), state ->
                send(me, state.other(me), body.clientMessageId(), body.text()))))),
        access.operation(caller, ApiOperation.EDIT_DM, match -> person(caller, me ->
            entity(Jackson.unmarshaller(Json.MAPPER, EditBody.class), body -> changed(me, threads.edit(match.variable("threadId"), me,
                match.variable("messageId"), body.text()))))),
        access.operation(caller, ApiOperation.DELETE_DM, match -> person(caller, me ->
            changed(me, threads.delete(match.variable("threadId"), me, match.variable("messageId"))))),
        access.operation(caller, ApiOperation.READ_DM_THREAD, match -> person(caller, me ->
            entity(Jackson.unmarshaller(Json.MAPPER, ReadBody.class), body -> body.seq() == null || body.seq() < 0
                ? ApiAccess.invalid("seq is the last message read")
                : onSuccess(threads.markRead(match.variable("threadId"), me, body.seq()), reply -> reply instanceof ThreadEntity.Thread found
                    ? complete(StatusCodes.OK, view(found.threadId(), me, found.state()), Json.marshaller())
                    : rejected((ThreadEntity.Rejected) reply))))),
        access.operation(caller, ApiOperation.STREAM_DM_EVENTS, match -> person(caller, me ->
            completeOK(LiveCount.stream("dms", () -> messaging.inbox(me, INBOX).thenCombine(messaging.changeMark(me),
                (found, mark) -> new LiveCount.Reading(found.stream().mapToLong(Messaging.InboxThread::unread).sum(), mark))),
                EventStreamMarshalling.toEventStream()))),
        access.operation(caller, ApiOperation.LIST_DM_CONTACTS, match -> person(caller, me -> onSuccess(contacts(me),
            found -> complete(StatusCodes.OK, found, Json.marshaller())))),
        access.operation(caller, ApiOperation.GET_DM_SETTINGS, match -> person(caller, me ->
            onSuccess(messaging.settings(me), settings -> complete(StatusCodes.OK, view(settings), Json.marshaller())))),
        access.operation(caller, ApiOperation.UPDATE_DM_SETTINGS, match -> person(caller, me ->
            entity(Jackson.unmarshaller(Json.MAPPER, SettingsBody.class), body -> updateSettings(me, body)))),
        access.operation(caller, ApiOperation.BLOCK_DM_USER, match -> person(caller, me -> block(me, match.variable("userId"), true))),
        access.operation(caller, ApiOperation.UNBLOCK_DM_USER, match -> person(caller, me -> block(me, match.variable("userId"), false))),
        access.operation(caller, ApiOperation.GET_ORGANIZATION_MESSAGING, match -> onSuccess(messaging.crossOrgAllowed(caller.orgId()),
            allowed -> complete(StatusCodes.OK, new OrganizationMessaging(caller.orgId(), allowed), Json.marshaller()))),
        access.operation(caller, ApiOperation.SET_ORGANIZATION_MESSAGING, match ->
            entity(Jackson.unmarshaller(Json.MAPPER, OrganizationMessagingBody.class), body -> body.allowCrossOrgMessaging() == null
                ? ApiAccess.invalid("allowCrossOrgMessaging is true or false")
                : onSuccess(messaging.allowCrossOrg(caller.orgId(), body.allowCrossOrgMessaging(), clock.instant()), done ->
                    complete(StatusCodes.OK, new OrganizationMessaging(caller.orgId(), body.allowCrossOrgMessaging()), Json.marshaller())))));
  }

  private Route send(String me, String to, String clientMessageId, String text) {
    if (to == null || to.isBlank()) {
      return ApiAccess.invalid("to is the user id of the person to write to");
    }
    return onSuccess(decide(me, to), decision -> {
      if (!decision.allowed()) {
        return decision.reason().isEmpty() ? ApiAccess.notFound("person " + to + " you may write to")
            : ApiAccess.refuse(StatusCodes.FORBIDDEN, "not_allowed", decision.reason());
      }
      return onSuccess(threads.send(me, to, clientMessageId, text), reply -> reply instanceof ThreadEntity.Thread thread
          ? complete(thread.repeated() ? StatusCodes.OK : StatusCodes.CREATED,
              new Sent(thread.threadId(), message(me, thread.message())), Json.marshaller())
          : rejected((ThreadEntity.Rejected) reply));
    });
  }

  /**
   * Whether {@code me} may write to {@code to}: the policy's decision; an empty reason when {@code to}
   * is nobody {@code me} can reach at all (unknown, or another organization without both allowing it).
   */
  private CompletionStage<MessagingPolicy.Decision> decide(String me, String to) {
    return messaging.person(me).thenCombine(messaging.person(to), (sender, recipient) -> {
      if (sender.isEmpty() || recipient.isEmpty()) {
        return new MessagingPolicy.Decision(false, "");
      }
      MessagingPolicy.Decision decision = MessagingPolicy.decide(sender.get(), recipient.get());
      return decision.allowed() || !decision.reason().startsWith("you are in different organizations") ? decision
          : new MessagingPolicy.Decision(false, "");
    });
  }

  private Route thread(String me, String threadId, Function<ThreadState, Route> inner) {
    return onSuccess(threads.get(threadId, me), reply -> reply instanceof ThreadEntity.Thread found
        ? inner.apply(found.state())
        : ApiAccess.notFound("thread " + threadId));
  }

  private Route changed(String me, CompletionStage<ThreadEntity.Reply> change) {
    return onSuccess(change, reply -> reply instanceof ThreadEntity.Thread thread
        ? complete(StatusCodes.OK, new Sent(thread.threadId(), message(me, thread.message())), Json.marshaller())
        : rejected((ThreadEntity.Rejected) reply));
  }

  private Route rejected(ThreadEntity.Rejected rejected) {
    return switch (rejected.reason()) {
      case NOT_FOUND -> ApiAccess.notFound(rejected.message().replaceFirst("^no ", ""));
      case NOT_YOURS -> ApiAccess.refuse(StatusCodes.FORBIDDEN, "not_yours", rejected.message());
      case INVALID -> ApiAccess.invalid(rejected.message());
    };
  }

  private CompletionStage<Contacts> contacts(String me) {
    return messaging.contacts(me).thenComposeAsync(found -> {
      List<CompletableFuture<ContactView>> decided = found.stream().map(contact -> decide(me, contact.userId())
          .thenApply(decision -> new ContactView(contact.userId(), contact.name(), contact.orgId(), contact.orgName(), decision.allowed(),
              decision.reason())).toCompletableFuture()).toList();
      return CompletableFuture.allOf(decided.toArray(CompletableFuture[]::new))
          .thenApply(done -> new Contacts(decided.stream().map(CompletableFuture::join).toList()));
    }, executor);
  }

  private Route updateSettings(String me, SettingsBody body) {
    Optional<MessagingPolicy.WhoMayMessage> rule = Optional.ofNullable(body.whoMayMessage()).flatMap(MessagingPolicy.WhoMayMessage::parse);
    if (rule.isEmpty()) {
      return ApiAccess.invalid("whoMayMessage is everyone, my_agency or nobody");
    }
    long minutes = body.remindAfterMinutes() == null ? 15 : body.remindAfterMinutes();
    if (minutes < 1 || minutes > LONGEST_REMINDER.toMinutes()) {
      return ApiAccess.invalid("remindAfterMinutes is from 1 to " + LONGEST_REMINDER.toMinutes());
    }
    return onSuccess(messaging.setRule(me, rule.get(), Duration.ofMinutes(minutes), clock.instant())
            .thenComposeAsync(done -> messaging.settings(me), executor),
        settings -> complete(StatusCodes.OK, view(settings), Json.marshaller()));
  }

  private Route block(String me, String userId, boolean blocked) {
    if (userId.equals(me)) {
      return ApiAccess.invalid("you cannot block yourself");
    }
    return onSuccess(messaging.person(userId), found -> found.isEmpty()
        ? ApiAccess.notFound("person " + userId)
        : onSuccess(messaging.block(me, userId, blocked, clock.instant()).thenComposeAsync(done -> messaging.settings(me), executor),
            settings -> complete(StatusCodes.OK, view(settings), Json.marshaller())));
  }

  private static SettingsView view(Messaging.Settings settings) {
    return new SettingsView(settings.whoMayMessage().wireName(), settings.remindAfter().toMinutes(),
        settings.blocked().stream().sorted().toList());
  }

  private static Inbox inbox(String me, List<Messaging.InboxThread> found) {
    return new Inbox(found.stream().map(thread -> new ThreadSummary(thread.threadId(), new PersonView(thread.otherUserId(),
            thread.otherName()), thread.lastMessageAt(), thread.lastPreview(), me.equals(thread.lastSenderId()), thread.unread())).toList(),
        found.stream().mapToLong(Messaging.InboxThread::unread).sum());
  }

  private static ThreadView view(String threadId, String me, ThreadState state) {
    List<ThreadState.DirectMessage> all = state.messages();
    List<MessageView> latest = all.subList(Math.max(0, all.size() - MESSAGES), all.size()).stream()
        .map(message -> message(me, message)).toList();
    String other = state.other(me);
    return new ThreadView(threadId, other, latest, state.readUpTo().getOrDefault(me, 0L), state.readUpTo().getOrDefault(other, 0L));
  }

  private static MessageView message(String me, ThreadState.DirectMessage message) {
    return new MessageView(message.messageId(), message.seq(), message.senderId(), message.senderId().equals(me), message.text(),
        message.sentAt(), message.editedAt(), message.deleted());
  }

  private static Route person(Caller caller, Function<String, Route> inner) {
    return ApiAccess.asPerson(caller, "direct messages are between people signed in; an API key has none",
        person -> inner.apply(person.user().userId()));
  }
}
