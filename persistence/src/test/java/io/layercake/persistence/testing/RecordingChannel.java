package io.layercake.persistence.testing;

import io.layercake.runtime.channel.ChannelPort;
import io.layercake.runtime.channel.OutboundMessage;
import io.layercake.runtime.channel.SendOutcome;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** A channel that accepts every message and records it; a test may make the next sends fail, or hold them. */
public final class RecordingChannel implements ChannelPort {
  private final List<OutboundMessage> sent = new CopyOnWriteArrayList<>();
  private final AtomicInteger failuresToGive = new AtomicInteger();
  private final AtomicInteger attempts = new AtomicInteger();
  private final List<String> attemptedContacts = new CopyOnWriteArrayList<>();
  private final java.util.Map<String, CompletableFuture<Void>> held = new java.util.concurrent.ConcurrentHashMap<>();
  private final List<String> streamed = new CopyOnWriteArrayList<>();

  /** Webchat shows a reply growing: every piece is recorded as {@code session|stream|text}. */
  @Override
  public io.layercake.runtime.llm.ReplyStream replyStream(String channel, String sessionId, String streamId) {
    return "webchat".equals(channel)
        ? text -> streamed.add(sessionId + "|" + streamId + "|" + text)
        : io.layercake.runtime.llm.ReplyStream.NONE;
  }

  /** The pieces streamed to {@code sessionId}'s channel, in order, as {@code stream|text}. */
  public List<String> streamedTo(String sessionId) {
    return streamed.stream().filter(piece -> piece.startsWith(sessionId + "|")).map(piece -> piece.substring(sessionId.length() + 1)).toList();
  }

  @Override
  public CompletionStage<SendOutcome> send(OutboundMessage message) {
    attempts.incrementAndGet();
    attemptedContacts.add(message.contact());
    CompletableFuture<Void> hold = held.get(message.contact());
    if (hold != null) {
      return hold.thenApply(released -> {
        sent.add(message);
        return new SendOutcome.Accepted("prov-" + message.sessionId() + "-" + message.outboundId());
      });
    }
    if (failuresToGive.getAndUpdate(left -> Math.max(0, left - 1)) > 0) {
      return CompletableFuture.completedFuture(new SendOutcome.Retryable("provider busy", null));
    }
    sent.add(message);
    return CompletableFuture.completedFuture(new SendOutcome.Accepted("prov-" + message.sessionId() + "-" + message.outboundId()));
  }

  /** The next {@code count} sends fail with a retryable error. */
  public void failNext(int count) {
    failuresToGive.set(count);
  }

  /** Sends to {@code contact} are accepted only once the returned future completes, as a slow provider would. */
  public CompletableFuture<Void> holdSendsTo(String contact) {
    return held.computeIfAbsent(contact, ignored -> new CompletableFuture<>());
  }

  public long attemptsTo(String contact) {
    return attemptedContacts.stream().filter(contact::equals).count();
  }

  public int attempts() {
    return attempts.get();
  }

  /** Everything sent to {@code contact}, templates included. */
  public List<OutboundMessage> messagesTo(String contact) {
    return sent.stream().filter(message -> message.contact().equals(contact)).toList();
  }

  public List<String> textsTo(String contact) {
    return sent.stream().filter(message -> message.contact().equals(contact)).map(OutboundMessage::text).toList();
  }
}
