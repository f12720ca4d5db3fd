package io.layercake.bench.e2e;

import io.layercake.config.Secret;
import io.layercake.http.webhooks.HubSignature;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Customers writing on WhatsApp: correctly signed Cloud API webhooks, one message per request, to
 * the numbers of the organizations a run targets. Closed loop: every contact writes its next message
 * once the reply to the previous one reached the Graph API stub. Open loop: messages at a fixed rate,
 * round-robin over the contacts. At most {@code maxInFlight} webhook requests are open at once (the
 * conversations waiting for a reply are not limited); a message waits for the reply at most
 * {@code replyTimeout}, so every run ends.
 */
final class WhatsAppLoad implements AutoCloseable {
  /** Stands for the apology's arrival where a reply's arrival time would be. */
  private static final long APOLOGY = Long.MIN_VALUE;

  private final HttpClient client;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final URI webhook;
  private final Secret appSecret;
  private final StubProviders stubs;
  private final Duration replyTimeout;
  private final Duration runTimeout;
  private final InFlight inFlight;

  /**
   * What one run measured: messages answered (with their latencies; {@code laterLatenciesMicros}: those
   * of messages after their conversation's first, which starts the conversation and takes its credit
   * lease; {@code firstLatenciesMicros}: those of the first ones), answered with the fail-open apology, not answered within the reply timeout, refused by the
   * webhook, and not sent because their conversation had gone silent (an earlier message was not
   * answered) or the run's time was up.
   */
  record Result(long messages, long answered, long apologized, long lost, long refused, long unsent, Duration elapsed,
      List<Long> latenciesMicros, List<Long> laterLatenciesMicros, List<Long> firstLatenciesMicros, List<Timed> timed) {
    double perSecond() {
      return answered * 1_000_000_000.0 / elapsed.toNanos();
    }
  }

  /** An answered message: when it was sent, in milliseconds from the run's start, and how long its reply took. */
  record Timed(long sentMillis, long latencyMicros) {}

  /** How one message ended. */
  private enum Outcome { ANSWERED, APOLOGIZED, LOST, REFUSED }

  /** The counts of a run as its messages end. */
  private static final class Tally {
    final ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> laterLatencies = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Long> firstLatencies = new ConcurrentLinkedQueue<>();
    final ConcurrentLinkedQueue<Timed> timed = new ConcurrentLinkedQueue<>();
    final AtomicLong apologized = new AtomicLong();
    final AtomicLong lost = new AtomicLong();
    final AtomicLong refused = new AtomicLong();
    final AtomicLong unsent = new AtomicLong();
    final long started = System.nanoTime();

    Result result(long messages) {
      return new Result(messages, latencies.size(), apologized.get(), lost.get(), refused.get(), unsent.get(),
          Duration.ofNanos(System.nanoTime() - started), new ArrayList<>(latencies), new ArrayList<>(laterLatencies),
          new ArrayList<>(firstLatencies), new ArrayList<>(timed));
    }
  }

  WhatsAppLoad(String nodeBaseUrl, Secret appSecret, StubProviders stubs, Duration replyTimeout, Duration runTimeout,
      int maxInFlight) {
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
    this.webhook = URI.create(nodeBaseUrl + "/webhooks/whatsapp");
    this.appSecret = appSecret;
    this.stubs = stubs;
    this.replyTimeout = replyTimeout;
    this.runTimeout = runTimeout;
    this.inFlight = new InFlight(maxInFlight, executor);
  }

  /**
   * {@code contacts} customers, each writing {@code messages} messages one after the other; contact
   * {@code c} writes to {@code phoneNumberIds[c % size]}, so the contacts are spread over the
   * organizations. A conversation whose message was not answered writes no more; no message is sent
   * once the run's time is up.
   */
  Result closedLoop(String run, List<String> phoneNumberIds, int contacts, int messages) {
    Tally tally = new Tally();
    long deadline = tally.started + runTimeout.toNanos();
    List<CompletableFuture<Outcome>> conversations = new ArrayList<>();
    for (int contact = 0; contact < contacts; contact++) {
      int c = contact;
      CompletableFuture<Outcome> chain = CompletableFuture.completedFuture(Outcome.ANSWERED);
      for (int n = 0; n < messages; n++) {
        int m = n;
        chain = chain.thenCompose(previous -> {
          if (previous != Outcome.ANSWERED || System.nanoTime() > deadline) {
            tally.unsent.incrementAndGet();
            return CompletableFuture.completedFuture(Outcome.LOST);
          }
          return message(run, phoneNumberIds, c, m, tally);
        });
      }
      conversations.add(chain);
    }
    CompletableFuture.allOf(conversations.toArray(CompletableFuture[]::new)).join();
    return tally.result((long) contacts * messages);
  }

  /** {@code perSecond} messages a second for {@code duration}, spread over {@code contacts} customers. */
  Result openLoop(String run, List<String> phoneNumberIds, int contacts, int perSecond, Duration duration) {
    Tally tally = new Tally();
    List<CompletableFuture<Outcome>> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    long total = perSecond * duration.toSeconds();
    AtomicLong next = new AtomicLong();
    long intervalMicros = 1_000_000L / perSecond;
    var schedule = ticker.scheduleAtFixedRate(() -> {
      long due = Math.min(total, (System.nanoTime() - tally.started) / 1000 / intervalMicros + 1);
      while (next.get() < due) {
        long i = next.getAndIncrement();
        sent.add(message(run, phoneNumberIds, (int) (i % contacts), (int) (i / contacts), tally));
      }
    }, 0, 5, TimeUnit.MILLISECONDS);
    long deadline = tally.started + duration.toNanos() + runTimeout.toNanos();
    while (next.get() < total && System.nanoTime() < deadline) {
      try {
        schedule.get(50, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        continue;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    schedule.cancel(false);
    tally.unsent.addAndGet(Math.max(0, total - next.get()));
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    return tally.result(total);
  }

  /**
   * One message; its latency runs from the webhook's send (not from the wait for a request slot) to
   * the reply at the stub. A reply to the customer that carries no token is the fail-open apology.
   */
  private CompletableFuture<Outcome> message(String run, List<String> phoneNumberIds, int contact, int n, Tally tally) {
    String token = "tok-" + run + "-" + contact + "-" + n;
    String from = phone(run, contact);
    CompletableFuture<Long> reply = stubs.awaitReply(token);
    CompletableFuture<Long> apology = stubs.awaitApology(from);
    String to = phoneNumberIds.get(contact % phoneNumberIds.size());
    HttpRequest request = request(to, from, token, "question " + token);
    return inFlight.submit(() -> {
      long sentAt = System.nanoTime();
      return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .handle((response, failure) -> failure == null && response.statusCode() == 200 ? sentAt : -1L);
    }).thenCompose(sentAt -> {
      if (sentAt < 0) {
        stubs.forgetApology(from, apology);
        tally.refused.incrementAndGet();
        return CompletableFuture.completedFuture(Outcome.REFUSED);
      }
      CompletableFuture<Long> ended = reply.applyToEither(apology.thenApply(at -> APOLOGY), at -> at);
      return ended.orTimeout(replyTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((repliedAt, timeout) -> {
        stubs.forgetApology(from, apology);
        if (timeout != null) {
          tally.lost.incrementAndGet();
          return Outcome.LOST;
        }
        if (repliedAt == APOLOGY) {
          tally.apologized.incrementAndGet();
          return Outcome.APOLOGIZED;
        }
        long micros = (repliedAt - sentAt) / 1000;
        tally.latencies.add(micros);
        (n > 0 ? tally.laterLatencies : tally.firstLatencies).add(micros);
        tally.timed.add(new Timed((sentAt - tally.started) / 1_000_000, micros));
        return Outcome.ANSWERED;
      });
    });
  }

  private HttpRequest request(String phoneNumberId, String from, String messageId, String text) {
    byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"WABA\",\"changes\":[{"
        + "\"field\":\"messages\",\"value\":{\"messaging_product\":\"whatsapp\","
        + "\"metadata\":{\"display_phone_number\":\"15550000000\",\"phone_number_id\":\""
        + phoneNumberId + "\"},\"contacts\":[{\"profile\":{\"name\":\"Bench\"},\"wa_id\":\"" + from + "\"}],"
        + "\"messages\":[{\"from\":\"" + from + "\",\"id\":\"wamid." + messageId + "\",\"timestamp\":\""
        + Instant.now().getEpochSecond() + "\",\"type\":\"text\",\"text\":{\"body\":\"" + text + "\"}}]}}]}]}")
        .getBytes(StandardCharsets.UTF_8);
    return HttpRequest.newBuilder(webhook)
        .timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .header("X-Hub-Signature-256", HubSignature.sign(appSecret, body))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  /** A distinct number per run and contact, so each run starts new conversations. */
  private static String phone(String run, int contact) {
    return "31" + run.replaceAll("[^0-9]", "") + String.format("%07d", contact);
  }

  /** At most {@code max} tasks running; the others start, in order, as running ones complete. */
  private static final class InFlight {
    private final int max;
    private final Executor executor;
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int running;

    InFlight(int max, Executor executor) {
      this.max = max;
      this.executor = executor;
    }

    <T> CompletableFuture<T> submit(Supplier<CompletableFuture<T>> task) {
      CompletableFuture<T> result = new CompletableFuture<>();
      Runnable start = () -> task.get().whenComplete((value, failure) -> {
        release();
        if (failure != null) {
          result.completeExceptionally(failure);
        } else {
          result.complete(value);
        }
      });
      boolean now;
      synchronized (this) {
        now = running < max;
        if (now) {
          running++;
        } else {
          waiting.add(start);
        }
      }
      if (now) {
        start.run();
      }
      return result;
    }

    private void release() {
      Runnable next;
      synchronized (this) {
        next = waiting.poll();
        if (next == null) {
          running--;
        }
      }
      if (next != null) {
        executor.execute(next);
      }
    }
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    executor.shutdownNow();
  }
}
