package io.layercake.bench.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.pattern.Patterns;

/**
 * The providers around a node, on 127.0.0.1: an OpenAI-compatible model that answers
 * {@code re: <token>} after a set latency (or, asked to stream, writes {@link #STREAMED_PIECES} pieces
 * {@link #PIECE_INTERVAL} apart), and the WhatsApp Graph API that records each reply's token.
 * They run in the benchmark's process, beside the load, never in the node's.
 */
final class StubProviders extends AllDirectives implements AutoCloseable {
  private static final Pattern TOKEN = Pattern.compile("tok-[0-9]+-[0-9]+-[0-9]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ActorSystem<Void> system;
  private final ServerBinding binding;
  private final Map<String, CompletableFuture<Long>> awaited = new ConcurrentHashMap<>();
  private final AtomicLong replies = new AtomicLong();
  private final AtomicLong duplicateReplies = new AtomicLong();
  private final AtomicLong unexpectedReplies = new AtomicLong();
  private final Map<String, Boolean> answered = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Long>> apologies = new ConcurrentHashMap<>();
  private volatile Duration modelLatency = Duration.ZERO;
  /** A streamed answer: this many pieces, one every {@link #PIECE_INTERVAL} (a model writing ~40 tokens a second). */
  static final int STREAMED_PIECES = 20;
  static final Duration PIECE_INTERVAL = Duration.ofMillis(25);

  private StubProviders() throws Exception {
    // the node may open a connection per reply in flight: far more than Pekko's default 1,024; and hundreds of
    // model calls may connect at once (500 conversations with a 500 ms model): with Pekko's default accept queue
    // of 100 the kernel drops the rest's handshakes, and those that lose twice outlast the node's 5 s connect
    // timeout, a provider outage the real ones do not have
    system = ActorSystem.create(Behaviors.empty(), "bench-stubs",
        ConfigFactory.parseString("pekko.http.server.max-connections = 16384\npekko.http.server.backlog = 4096")
            .withFallback(ConfigFactory.load()));
    binding = Http.get(system).newServerAt("127.0.0.1", 0).bind(routes()).toCompletableFuture()
        .get(30, TimeUnit.SECONDS);
  }

  static StubProviders start() throws Exception {
    return new StubProviders();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + binding.localAddress().getPort();
  }

  void modelLatency(Duration latency) {
    modelLatency = latency;
  }

  /** Completes with the time ({@link System#nanoTime()}) the reply carrying {@code token} reached the Graph API. */
  CompletableFuture<Long> awaitReply(String token) {
    return awaited.computeIfAbsent(token, ignored -> new CompletableFuture<>());
  }

  /**
   * Completes with the time the next reply without a token (the fail-open apology) reached the
   * customer {@code phone}; {@link #forgetApology} once the message it was for has ended.
   */
  CompletableFuture<Long> awaitApology(String phone) {
    return apologies.computeIfAbsent(digits(phone), ignored -> new CompletableFuture<>());
  }

  void forgetApology(String phone, CompletableFuture<Long> awaited) {
    apologies.remove(digits(phone), awaited);
  }

  /** Replies the Graph API stub received so far: all, second ones for a message, and those answering no message. */
  record Counts(long replies, long duplicates, long apologies) {
    Counts minus(Counts earlier) {
      return new Counts(replies - earlier.replies, duplicates - earlier.duplicates, apologies - earlier.apologies);
    }
  }

  /**
   * What the stub saw so far. A reply without a message's token is the node's fail-open apology (the
   * only text a turn sends that the model did not write).
   */
  Counts counts() {
    return new Counts(replies.get(), duplicateReplies.get(), unexpectedReplies.get());
  }

  private Route routes() {
    return concat(
        pathPrefix("v1", () -> pathPrefix("chat", () -> path("completions", () -> post(() -> entity(
            org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(), this::completion))))),
        pathPrefix(version -> pathPrefix(phoneNumberId -> path("messages", () -> post(() -> entity(
            org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller.entityToString(), this::whatsapp))))));
  }

  private Route completion(String body) {
    if (body.contains("\"stream\":true") || body.contains("\"stream\" : true")) {
      return streamedCompletion();
    }
    String token = lastToken(userText(body));
    String answer = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":0,\"model\":\"stub\","
        + "\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"re: " + token + "\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":6,\"total_tokens\":46}}";
    HttpResponse response = HttpResponse.create()
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, answer));
    Duration latency = modelLatency;
    if (latency.isZero()) {
      return complete(response);
    }
    CompletionStage<HttpResponse> later = Patterns.after(latency, system.classicSystem().scheduler(),
        system.executionContext(), () -> CompletableFuture.completedFuture(response));
    return completeWithFuture(later);
  }

  /** OpenAI's streaming format: a chunk per piece at a fixed rate, the usage with the last, then {@code [DONE]}. */
  private Route streamedCompletion() {
    String chunk = "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":0,\"model\":\"stub\","
        + "\"choices\":[{\"index\":0,\"delta\":%s,\"finish_reason\":%s}]%s}";
    org.apache.pekko.stream.javadsl.Source<org.apache.pekko.util.ByteString, org.apache.pekko.NotUsed> events =
        org.apache.pekko.stream.javadsl.Source.range(1, STREAMED_PIECES)
            .throttle(1, PIECE_INTERVAL)
            .map(i -> chunk.formatted("{\"content\":\"piece" + i + " \"}", "null", ""))
            .concat(org.apache.pekko.stream.javadsl.Source.from(java.util.List.of(
                chunk.formatted("{}", "\"stop\"", ",\"usage\":{\"prompt_tokens\":40,\"completion_tokens\":" + STREAMED_PIECES
                    + ",\"total_tokens\":" + (40 + STREAMED_PIECES) + "}"),
                "[DONE]")))
            .map(data -> org.apache.pekko.util.ByteString.fromString("data: " + data + "\n\n"));
    return complete(HttpResponse.create().withEntity(HttpEntities.create(
        org.apache.pekko.http.javadsl.model.MediaTypes.TEXT_EVENT_STREAM.toContentType(), events)));
  }

  private Route whatsapp(String body) {
    long at = System.nanoTime();
    String token = lastToken(field(body, "text", "body"));
    replies.incrementAndGet();
    if (token.isEmpty()) {
      unexpectedReplies.incrementAndGet();
      CompletableFuture<Long> apology = apologies.remove(digits(field(body, "to", null)));
      if (apology != null) {
        apology.complete(at);
      }
    } else if (answered.putIfAbsent(token, Boolean.TRUE) != null) {
      duplicateReplies.incrementAndGet();
    } else {
      awaitReply(token).complete(at);
    }
    return complete(HttpResponse.create().withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON,
        "{\"messaging_product\":\"whatsapp\",\"messages\":[{\"id\":\"wamid.bench-" + replies.get() + "\"}]}")));
  }

  private static String userText(String body) {
    try {
      JsonNode messages = JSON.readTree(body).path("messages");
      for (int i = messages.size() - 1; i >= 0; i--) {
        if ("user".equals(messages.get(i).path("role").asText())) {
          return messages.get(i).path("content").toString();
        }
      }
      return "";
    } catch (Exception e) {
      return "";
    }
  }

  /** {@code body.first.second} ({@code body.first} if {@code second} is null) as text; empty if absent or invalid. */
  private static String field(String body, String first, String second) {
    try {
      JsonNode node = JSON.readTree(body).path(first);
      return (second == null ? node : node.path(second)).asText("");
    } catch (Exception e) {
      return "";
    }
  }

  private static String digits(String phone) {
    return phone.replaceAll("[^0-9]", "");
  }

  private static String lastToken(String text) {
    Matcher matcher = TOKEN.matcher(text);
    String last = "";
    while (matcher.find()) {
      last = matcher.group();
    }
    return last;
  }

  @Override
  public void close() {
    binding.unbind();
    system.terminate();
  }
}
