package io.layercake.http.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.layercake.config.Secret;
import io.layercake.http.webhooks.HubSignature;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The providers around a cluster under test, on 127.0.0.1, speaking their wire formats:
 *
 * <ul>
 *   <li>an OpenAI-compatible chat-completions model that answers {@code re: <token>} and calls
 *       {@code schedule_followup} when asked to follow up; its {@link #model} gate can hold calls;
 *   <li>the WhatsApp Graph API, recording each reply's text; its {@link #graph} gate can hold sends;
 *   <li>an agency's webhook receiver that checks each delivery's signature and records its event id.
 * </ul>
 */
public final class ClusterStubs implements AutoCloseable {
  public static final String GRAPH_VERSION = "v21.0";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TOKEN = Pattern.compile("tok-[A-Za-z0-9-]+");
  private static final Duration LONGEST_HOLD = Duration.ofSeconds(60);
  /** Answers whose caller had gone: a node killed while its model call was held. */
  private static final AtomicInteger ABANDONED_ANSWERS = new AtomicInteger();

  private final HttpServer server;
  private final ExecutorService handlers = Executors.newCachedThreadPool();
  private final String graphToken;
  private final List<String> replies = new CopyOnWriteArrayList<>();
  /** How often each text was sent, and when it first was (System.nanoTime): a load's closed loop and latencies read these. */
  private final Map<String, AtomicInteger> replyCounts = new ConcurrentHashMap<>();
  private final Map<String, java.util.concurrent.CompletableFuture<Long>> firstSent = new ConcurrentHashMap<>();
  private final Map<Long, AtomicInteger> webhookDeliveries = new ConcurrentHashMap<>();
  private final AtomicInteger badWebhookSignatures = new AtomicInteger();
  private final AtomicInteger badGraphTokens = new AtomicInteger();
  private final AtomicInteger modelCalls = new AtomicInteger();
  private volatile String webhookSecret = "";
  /** Holds model calls, so every turn in flight is inside its model call when a node stops. */
  public final Gate model = new Gate("model call");
  /** Holds WhatsApp sends, as a slow provider would, so sends are in flight when a node stops. */
  public final Gate graph = new Gate("send");

  public ClusterStubs(String graphToken) {
    this.graphToken = graphToken;
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 100);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.setExecutor(handlers);
    server.createContext("/v1/chat/completions", exchange -> answer(exchange, completion(read(exchange))));
    server.createContext("/" + GRAPH_VERSION + "/", exchange -> answer(exchange, whatsapp(exchange, read(exchange))));
    server.createContext("/hooks", exchange -> answer(exchange, webhook(exchange, read(exchange))));
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  /** The settings that point a node's WhatsApp channel and its OpenAI-compatible model at these stubs. */
  public Map<String, String> providerEnvironment(String appSecret) {
    return Map.of(
        "LAYERCAKE_CHANNELS_WHATSAPP_GRAPH_BASE_URL", baseUrl(),
        "LAYERCAKE_CHANNELS_WHATSAPP_API_VERSION", GRAPH_VERSION,
        "LAYERCAKE_CHANNELS_WHATSAPP_APP_SECRET", appSecret,
        "LAYERCAKE_CHANNELS_WHATSAPP_VERIFY_TOKEN", "verify-the-stubs",
        "LAYERCAKE_LLM_OPENAI_BASE_URL", baseUrl() + "/v1",
        "LAYERCAKE_LLM_OPENAI_API_KEY", "sk-stub-model");
  }

  /** A Cloud API notification of one text message {@code contact} sent to {@code numberId} just now. */
  public static byte[] textNotification(String numberId, String contact, String messageId, String text) {
    return """
        {"object":"whatsapp_business_account","entry":[{"id":"WABA-1","changes":[{"field":"messages","value":{
          "messaging_product":"whatsapp","metadata":{"display_phone_number":"15550783881","phone_number_id":"%s"},
          "contacts":[{"profile":{"name":"Ann"},"wa_id":"%s"}],
          "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]}}]}]}
        """.formatted(numberId, contact, contact, messageId, java.time.Instant.now().getEpochSecond(), text)
        .getBytes(StandardCharsets.UTF_8);
  }

  /** The {@code X-Hub-Signature-256} header Meta sends with {@code body}. */
  public static Map<String, String> signed(String appSecret, byte[] body) {
    return Map.of("X-Hub-Signature-256", HubSignature.sign(Secret.of(appSecret), body));
  }

  void webhookSecret(String secret) {
    webhookSecret = secret;
  }

  /** Every text the Graph API was asked to send, in arrival order. */
  public List<String> replies() {
    return List.copyOf(replies);
  }

  /** How many times {@code text} was sent (constant time, for load generators). */
  public int replyCount(String text) {
    AtomicInteger count = replyCounts.get(text);
    return count == null ? 0 : count.get();
  }

  /** Completes with the moment ({@link System#nanoTime}) {@code text} is first sent. */
  public java.util.concurrent.CompletableFuture<Long> whenSent(String text) {
    return firstSent.computeIfAbsent(text, unsent -> new java.util.concurrent.CompletableFuture<>());
  }

  public long repliesWithText(String text) {
    return replies.stream().filter(text::equals).count();
  }

  Map<Long, Integer> webhookDeliveries() {
    Map<Long, Integer> counts = new java.util.TreeMap<>();
    webhookDeliveries.forEach((id, count) -> counts.put(id, count.get()));
    return counts;
  }

  int badWebhookSignatures() {
    return badWebhookSignatures.get();
  }

  int badGraphTokens() {
    return badGraphTokens.get();
  }

  public int modelCalls() {
    return modelCalls.get();
  }

  // ---- the model ----

  private Response completion(String body) {
    modelCalls.incrementAndGet();
    if (!model.pass()) {
      return new Response(503, "{\"error\":{\"message\":\"held too long\",\"type\":\"server_error\"}}");
    }
    JsonNode messages = parse(body).path("messages");
    JsonNode last = messages.path(messages.size() - 1);
    String token = lastToken(lastUserText(messages));
    ObjectNode message = JSON.createObjectNode().put("role", "assistant");
    String finish = "stop";
    if ("tool".equals(last.path("role").asText())) {
      message.put("content", "noted " + token);
    } else if (lastUserText(messages).contains("follow up")) {
      finish = "tool_calls";
      message.putNull("content");
      ObjectNode call = message.putArray("tool_calls").addObject().put("id", "call-" + token).put("type", "function");
      call.putObject("function").put("name", "schedule_followup")
          .put("arguments", JSON.createObjectNode().put("delay", "1m").put("text", "follow-up " + token).toString());
    } else {
      message.put("content", "re: " + token);
    }
    ObjectNode completion = JSON.createObjectNode().put("id", "chatcmpl-" + token).put("object", "chat.completion")
        .put("created", 0).put("model", "stub");
    completion.putArray("choices").addObject().put("index", 0).put("finish_reason", finish).set("message", message);
    completion.putObject("usage").put("prompt_tokens", 40).put("completion_tokens", 6).put("total_tokens", 46);
    return new Response(200, completion.toString());
  }

  private static String lastUserText(JsonNode messages) {
    for (int i = messages.size() - 1; i >= 0; i--) {
      JsonNode message = messages.get(i);
      if ("user".equals(message.path("role").asText())) {
        JsonNode content = message.path("content");
        return content.isTextual() ? content.asText() : content.toString();
      }
    }
    return "";
  }

  private static String lastToken(String text) {
    Matcher matcher = TOKEN.matcher(text);
    String last = "";
    while (matcher.find()) {
      last = matcher.group();
    }
    return last;
  }

  // ---- WhatsApp ----

  private Response whatsapp(HttpExchange exchange, String body) {
    if (!("Bearer " + graphToken).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
      badGraphTokens.incrementAndGet();
      return new Response(401, "{\"error\":{\"message\":\"Invalid OAuth access token.\",\"type\":\"OAuthException\",\"code\":190}}");
    }
    if (!graph.pass()) {
      return new Response(503, "{\"error\":{\"message\":\"held too long\",\"code\":2}}");
    }
    JsonNode message = parse(body);
    String text = message.path("text").path("body").asText();
    replies.add(text);
    // counted before anyone waiting for it wakes up and looks at the count
    replyCounts.computeIfAbsent(text, sent -> new AtomicInteger()).incrementAndGet();
    whenSent(text).complete(System.nanoTime());
    String to = message.path("to").asText();
    return new Response(200, "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + to + "\",\"wa_id\":\""
        + to.replace("+", "") + "\"}],\"messages\":[{\"id\":\"wamid.CLUSTER" + replies.size() + "\"}]}");
  }

  // ---- the agency's webhook receiver ----

  private Response webhook(HttpExchange exchange, String body) {
    String signature = exchange.getRequestHeaders().getFirst("Layercake-Signature");
    if (!validSignature(signature, body)) {
      badWebhookSignatures.incrementAndGet();
      return new Response(401, "{}");
    }
    long eventId = Long.parseLong(exchange.getRequestHeaders().getFirst("Layercake-Event-Id"));
    webhookDeliveries.computeIfAbsent(eventId, id -> new AtomicInteger()).incrementAndGet();
    return new Response(200, "{}");
  }

  /** {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, as the README documents it. */
  private boolean validSignature(String header, String body) {
    if (header == null || !header.matches("t=\\d+,v1=[0-9a-f]{64}")) {
      return false;
    }
    String timestamp = header.substring(2, header.indexOf(','));
    String expected = header.substring(header.indexOf("v1=") + 3);
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(webhookSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] computed = mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8));
      return java.security.MessageDigest.isEqual(computed, HexFormat.of().parseHex(expected));
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- plumbing ----

  /** Lets requests through, or holds them from {@link #hold} until {@link #release}, counting the held ones. */
  public static final class Gate {
    private final String what;
    private volatile CompletableFuture<Void> open = CompletableFuture.completedFuture(null);
    private volatile CountDownLatch held = new CountDownLatch(0);

    Gate(String what) {
      this.what = what;
    }

    public void hold(int expected) {
      held = new CountDownLatch(expected);
      open = new CompletableFuture<>();
    }

    public void awaitHeld(Duration within) throws InterruptedException, TimeoutException {
      if (!held.await(within.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new TimeoutException(held.getCount() + " " + what + "(s) still missing after " + within);
      }
    }

    public void release() {
      open.complete(null);
    }

    /** Blocks the request's handler thread while the gate holds; false when held too long. */
    private boolean pass() {
      CompletableFuture<Void> gate = open;
      if (gate.isDone()) {
        return true;
      }
      held.countDown();
      try {
        gate.get(LONGEST_HOLD.toSeconds(), TimeUnit.SECONDS);
        return true;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (java.util.concurrent.ExecutionException | TimeoutException e) {
        return false;
      }
    }
  }

  private record Response(int status, String body) {}

  private static String read(HttpExchange exchange) throws IOException {
    return new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
  }

  private static void answer(HttpExchange exchange, Response response) throws IOException {
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    try {
      exchange.sendResponseHeaders(response.status(), bytes.length);
      exchange.getResponseBody().write(bytes);
    } catch (IOException callerGone) {
      ABANDONED_ANSWERS.incrementAndGet();
    } finally {
      exchange.close();
    }
  }

  private static JsonNode parse(String body) {
    try {
      return JSON.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("not JSON: " + body, e);
    }
  }

  @Override
  public void close() {
    model.release();
    graph.release();
    server.stop(0);
    handlers.shutdownNow();
  }
}
