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
  private final HttpClient client;
  private final ExecutorService executor = Executors.newFixedThreadPool(4);
  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor();
  private final URI webhook;
  private final Secret appSecret;
  private final StubProviders stubs;
  private final Duration replyTimeout;
  private final InFlight inFlight;

  /** What one run measured. */
  record Result(long messages, long answered, long refused, long lost, Duration elapsed, List<Long> latenciesMicros) {
    double perSecond() {
      return answered * 1_000_000_000.0 / elapsed.toNanos();
    }
  }

  WhatsAppLoad(String nodeBaseUrl, Secret appSecret, StubProviders stubs, Duration replyTimeout, int maxInFlight) {
    this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(executor)
        .connectTimeout(Duration.ofSeconds(5)).build();
    this.webhook = URI.create(nodeBaseUrl + "/webhooks/whatsapp");
    this.appSecret = appSecret;
    this.stubs = stubs;
    this.replyTimeout = replyTimeout;
    this.inFlight = new InFlight(maxInFlight, executor);
  }

  /**
   * {@code contacts} customers, each writing {@code messages} messages one after the other; contact
   * {@code c} writes to {@code phoneNumberIds[c % size]}, so the contacts are spread over the organizations.
   */
  Result closedLoop(String run, List<String> phoneNumberIds, int contacts, int messages) {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong refused = new AtomicLong();
    AtomicLong lost = new AtomicLong();
    long started = System.nanoTime();
    List<CompletableFuture<Void>> conversations = new ArrayList<>();
    for (int contact = 0; contact < contacts; contact++) {
      int c = contact;
      CompletableFuture<Void> chain = CompletableFuture.completedFuture(null);
      for (int n = 0; n < messages; n++) {
        int m = n;
        chain = chain.thenCompose(ignored -> message(run, phoneNumberIds, c, m, latencies, refused, lost));
      }
      conversations.add(chain);
    }
    CompletableFuture.allOf(conversations.toArray(CompletableFuture[]::new)).join();
    long lastReply = System.nanoTime();
    return new Result((long) contacts * messages, latencies.size(), refused.get(), lost.get(), Duration.ofNanos(lastReply - started),
        new ArrayList<>(latencies));
  }

  /** {@code perSecond} messages a second for {@code duration}, spread over {@code contacts} customers. */
  Result openLoop(String run, List<String> phoneNumberIds, int contacts, int perSecond, Duration duration) {
    ConcurrentLinkedQueue<Long> latencies = new ConcurrentLinkedQueue<>();
    AtomicLong refused = new AtomicLong();
    AtomicLong lost = new AtomicLong();
    List<CompletableFuture<Void>> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
    long total = perSecond * duration.toSeconds();
    AtomicLong next = new AtomicLong();
    long intervalMicros = 1_000_000L / perSecond;
    long started = System.nanoTime();
    var schedule = ticker.scheduleAtFixedRate(() -> {
      long due = Math.min(total, (System.nanoTime() - started) / 1000 / intervalMicros + 1);
      while (next.get() < due) {
        long i = next.getAndIncrement();
        sent.add(message(run, phoneNumberIds, (int) (i % contacts), (int) (i / contacts), latencies, refused, lost));
      }
    }, 0, 5, TimeUnit.MILLISECONDS);
    while (next.get() < total) {
      try {
        schedule.get(50, TimeUnit.MILLISECONDS);
      } catch (java.util.concurrent.TimeoutException notYet) {
        continue;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    schedule.cancel(false);
    CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new)).join();
    return new Result(total, latencies.size(), refused.get(), lost.get(), Duration.ofNanos(System.nanoTime() - started),
        new ArrayList<>(latencies));
  }

  /** One message; its latency runs from the webhook's send (not from the wait for a request slot) to the reply at the stub. */
  private CompletableFuture<Void> message(String run, List<String> phoneNumberIds, int contact, int n,
      ConcurrentLinkedQueue<Long> latencies, AtomicLong refused, AtomicLong lost) {
    String token = "tok-" + run + "-" + contact + "-" + n;
    String from = phone(run, contact);
    CompletableFuture<Long> reply = stubs.awaitReply(token);
    String to = phoneNumberIds.get(contact % phoneNumberIds.size());
    HttpRequest request = request(to, from, token, "question " + token);
    return inFlight.submit(() -> {
      long sentAt = System.nanoTime();
      return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
          .handle((response, failure) -> failure == null && response.statusCode() == 200 ? sentAt : -1L);
    }).thenCompose(sentAt -> {
      if (sentAt < 0) {
        refused.incrementAndGet();
        return CompletableFuture.completedFuture(null);
      }
      return reply.orTimeout(replyTimeout.toMillis(), TimeUnit.MILLISECONDS).handle((repliedAt, timeout) -> {
        if (timeout != null) {
          lost.incrementAndGet();
        } else {
          latencies.add((repliedAt - sentAt) / 1000);
        }
        return null;
      });
    });
  }

  private HttpRequest request(String phoneNumberId, String from, String messageId, String text) {
    byte[] body = ("{\"object\":\"whatsapp_business_account\",\"entry\":[{\"id\":\"WABA\",\"changes\":[{\"field\":\"messages\",\"value\":{"
        + "\"messaging_product\":\"whatsapp\",\"metadata\":{\"display_phone_number\":\"15550000000\",\"phone_number_id\":\""
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
