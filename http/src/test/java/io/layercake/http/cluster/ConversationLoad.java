package io.layercake.http.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * Contacts writing to one WhatsApp number in a closed loop through signed webhooks, each sending its
 * next message once the reply to the last one reached the Graph API stub. A webhook that is refused
 * (5xx) or gets no answer is sent again with the same message id, as Meta does. One thread per
 * contact: a few hundred, mostly waiting.
 */
final class ConversationLoad {
  /** Meta retries a failed delivery; a short pause here keeps a refusing node from being hammered. */
  private static final Duration RESEND_PAUSE = Duration.ofMillis(250);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(25);

  private final String phase;
  private final int contacts;
  private final int messagesEach;
  private final int firstContact;
  private final Supplier<List<Integer>> livePorts;
  private final ClusterStubs stubs;
  private final String appSecret;
  private final String numberId;
  private final Duration replyTimeout;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final CountDownLatch finished;
  /** Tokens posted (at least once) and when first; their replies' times come from the stub. */
  private final Map<String, Long> postedAt = new ConcurrentHashMap<>();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger unreachable = new AtomicInteger();
  private final AtomicInteger accepted = new AtomicInteger();
  private final List<String> unanswered = java.util.Collections.synchronizedList(new ArrayList<>());
  private final List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
  private final AtomicInteger nextNode = new AtomicInteger();

  ConversationLoad(String phase, int contacts, int messagesEach, int firstContact, Supplier<List<Integer>> livePorts,
      ClusterStubs stubs, String appSecret, String numberId, Duration replyTimeout) {
    this.phase = phase;
    this.contacts = contacts;
    this.messagesEach = messagesEach;
    this.firstContact = firstContact;
    this.livePorts = livePorts;
    this.stubs = stubs;
    this.appSecret = appSecret;
    this.numberId = numberId;
    this.replyTimeout = replyTimeout;
    this.finished = new CountDownLatch(contacts);
  }

  static String token(String phase, int contact, int message) {
    return "tok-" + phase + "-" + contact + "-" + message;
  }

  /** The contact's WhatsApp number (wa_id: digits only). */
  static String phone(int contact) {
    return "3162" + String.format("%07d", contact);
  }

  /** The contact that wrote {@code token}. */
  static int contactOf(String token) {
    String[] parts = token.split("-");
    return Integer.parseInt(parts[parts.length - 2]);
  }

  void start() {
    for (int c = 0; c < contacts; c++) {
      int contact = firstContact + c;
      Thread thread = new Thread(() -> {
        try {
          converse(contact);
        } finally {
          finished.countDown();
        }
      }, "load-" + phase + "-" + contact);
      thread.setDaemon(true);
      thread.start();
    }
  }

  private void converse(int contact) {
    String phone = phone(contact);
    for (int i = 0; i < messagesEach; i++) {
      String token = token(phase, contact, i);
      if (!post(phone, token)) {
        return;
      }
      try {
        stubs.whenSent("re: " + token).get(replyTimeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        unanswered.add(token);
        return;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (ExecutionException e) {
        errors.add(token + ": " + e.getCause());
        return;
      }
    }
  }

  /** Posts until a node accepts it (200); false when it was refused with a client error or never accepted. */
  private boolean post(String phone, String token) {
    byte[] body = ClusterStubs.textNotification(numberId, phone, "wamid." + token, "hello " + token);
    String signature = ClusterStubs.signed(appSecret, body).get("X-Hub-Signature-256");
    long deadline = System.nanoTime() + replyTimeout.toNanos();
    postedAt.putIfAbsent(token, System.nanoTime());
    while (System.nanoTime() < deadline) {
      List<Integer> ports = livePorts.get();
      int port = ports.get(Math.floorMod(nextNode.getAndIncrement(), ports.size()));
      HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/webhooks/whatsapp"))
          .timeout(REQUEST_TIMEOUT)
          .header("Content-Type", "application/json")
          .header("X-Hub-Signature-256", signature)
          .POST(HttpRequest.BodyPublishers.ofByteArray(body))
          .build();
      try {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          accepted.incrementAndGet();
          return true;
        }
        if (response.statusCode() < 500) {
          errors.add(token + ": " + response.statusCode() + " " + response.body());
          return false;
        }
        refused.incrementAndGet();
      } catch (IOException e) {
        unreachable.incrementAndGet(); // the node died under the request, or was just killed: sent again, elsewhere
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
      LockSupport.parkNanos(RESEND_PAUSE.toNanos());
    }
    errors.add(token + ": never accepted");
    return false;
  }

  /** Messages answered so far (first replies seen at the Graph API). */
  int answered() {
    return (int) postedAt.keySet().stream().filter(token -> stubs.whenSent("re: " + token).isDone()).count();
  }

  /** Tokens posted but not answered yet: the messages in flight now. */
  List<String> inFlight() {
    return postedAt.keySet().stream().filter(token -> !stubs.whenSent("re: " + token).isDone()).toList();
  }

  /** Waits until every contact wrote all its messages, or gave up; true when all did in time. */
  boolean await(Duration within) throws InterruptedException {
    return finished.await(within.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The longest time from a message's first post to its reply (unanswered ones: 0). */
  long slowestReplyMillis() {
    return postedAt.entrySet().stream()
        .mapToLong(posted -> stubs.whenSent("re: " + posted.getKey()).getNow(posted.getValue()) - posted.getValue())
        .max().orElse(0) / 1_000_000;
  }

  int messages() {
    return contacts * messagesEach;
  }

  int refused() {
    return refused.get();
  }

  int unreachable() {
    return unreachable.get();
  }

  List<String> unanswered() {
    return List.copyOf(unanswered);
  }

  List<String> errors() {
    return List.copyOf(errors);
  }

  /** Every token of this load, whether or not it was sent. */
  List<String> tokens() {
    List<String> tokens = new ArrayList<>();
    for (int c = 0; c < contacts; c++) {
      for (int i = 0; i < messagesEach; i++) {
        tokens.add(token(phase, firstContact + c, i));
      }
    }
    return tokens;
  }
}
