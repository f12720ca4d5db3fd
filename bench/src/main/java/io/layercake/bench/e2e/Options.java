package io.layercake.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Sizes of a benchmark run from {@code --flag value} pairs (see {@link #USAGE}); defaults: issue 19's scenarios. */
record Options(
    List<String> databases, int orgs, int conversations, int messages, int runs, List<Integer> latenciesMillis,
    int slowModelConversations, int warmupConversations, int warmupMessages, int warmupJitPercent, long warmupMinMessages, long warmupMaxMessages, List<Burst> singleOrg, int halfLoadSeconds, int halfLoadRate, int webchatMessages,
    Duration replyTimeout, Duration runTimeout, int maxInFlight, Path nodeJar, List<String> nodeJavaOptions,
    boolean pin, String llmThreads, Path output, int bulkheadMessages, boolean heapDumps) {

  static final String USAGE = """
      java -jar bench/target/layercake-bench.jar [--flag value]...
        (from the repository's root, after mvn -B -q package -DskipTests)
        --databases h2,postgres        one pass each (the embedded PostgreSQL is started by the benchmark)
        --orgs 10                      organizations the closed loop's conversations are spread over
        --conversations 100            closed loop: conversations at once ...
        --messages 20                  ... each writing this many messages, the next once the reply came
        --runs 10                      closed-loop runs per model latency (median, min and max; a run of 2,000
                                       messages takes 2-4 s, and one pass's runs spread by a third)
        --latencies 0,500              stub model latencies in ms, one series of runs each
        --slow-model-conversations 500 closed loop at a model latency above 0 ms: conversations at once (each waits
                                       for its reply, so 100 of them carry at most 200 messages/s at 500 ms),
                                       after one run of them not counted
        --warmup-conversations 100     warm-up before anything is measured, in rounds of conversations ...
        --warmup-messages 20           ... times messages (0 ms model), until ...
        --warmup-jit-percent 10        ... the JIT compiler took at most this share of the node's CPU over 5 rounds
                                       (steady state; 100: one round) and ...
        --warmup-min-messages 60000    ... at least this many warm-up messages were sent (a lull in the compiler
                                       early on is not steady state), or ...
        --warmup-max-messages 250000   ... this many were sent
        --single-org 1000x5,10000x1    bursts on one organization: conversations x messages, all at once
        --half-load-seconds 15         open loop at half of the 0 ms peak, this long ...
        --half-load-rate 0             ... or at this many messages/s (0: half of the peak; a fixed rate compares
                                       p99s across passes whose peaks differ)
        --webchat-messages 20          one webchat visitor's messages, one after the other, local model
        --reply-timeout-seconds 120    a message with no reply by then is a timeout (its conversation stops)
        --run-timeout-seconds 600      no message of a run is sent after this long (counted as not sent)
        --max-in-flight 256            webhook requests open at once (conversations awaiting replies: no limit)
        --node-jar http/target/layercake.jar
        --node-java-options ""         the node's JVM options, space-separated (e.g. "-Xmx1g")
        --pin true                     taskset: the node on CPU 0, this process on CPU 1 (needs taskset, 2 CPUs)
        --llm-threads N                the node's LAYERCAKE_LLM_MAX_CONCURRENT_CALLS: model calls in flight (its default
                                       otherwise: 1,024; a whole answer holds a connection, not a thread)
        --output target/bench/report.md
        --bulkhead-messages 12         tenant bulkheads on H2 (a node with a 16-call model pool, 500 ms model): each
                                       conversation's messages, alone and beside a tenant flooding 20x; 0 skips it
        --heap-dumps false             also write the node's heap dumps (jcmd GC.heap_dump, live objects) before and
                                       after the largest burst beside the report, as <report>-<database>-heap-*.hprof
      """;

  private static final Set<String> FLAGS = Set.of("databases", "orgs", "conversations", "messages", "runs",
      "latencies", "slow-model-conversations", "warmup-conversations", "warmup-messages", "warmup-jit-percent", "warmup-min-messages", "warmup-max-messages", "single-org", "half-load-seconds", "half-load-rate", "webchat-messages",
      "reply-timeout-seconds", "run-timeout-seconds", "max-in-flight", "node-jar", "node-java-options", "pin",
      "llm-threads", "output", "bulkhead-messages", "heap-dumps");

  /** A burst on one organization: {@code conversations} at once, each writing {@code messages} in a closed loop. */
  record Burst(int conversations, int messages) {
    static Burst parse(String text) {
      String[] parts = text.trim().split("x");
      if (parts.length != 2) {
        throw new IllegalArgumentException("a burst is CONVERSATIONSxMESSAGES, e.g. 1000x5; got " + text);
      }
      return new Burst(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
    }
  }

  /** Whether the arguments ask for the usage. */
  static boolean help(String[] args) {
    return args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"));
  }

  /** The options, or {@link IllegalArgumentException} naming the flag that is unknown or wrong. */
  static Options parse(String[] args) {
    Map<String, String> given = new HashMap<>();
    for (int i = 0; i < args.length; i += 2) {
      String flag = args[i].replaceFirst("^--", "");
      if (!args[i].startsWith("--") || !FLAGS.contains(flag) || i + 1 >= args.length) {
        throw new IllegalArgumentException("unknown flag or missing value: " + args[i]);
      }
      given.put(flag, args[i + 1]);
    }
    try {
      Options options = new Options(
          list(given.getOrDefault("databases", "h2,postgres")),
          Integer.parseInt(given.getOrDefault("orgs", "10")),
          Integer.parseInt(given.getOrDefault("conversations", "100")),
          Integer.parseInt(given.getOrDefault("messages", "20")),
          Integer.parseInt(given.getOrDefault("runs", "10")),
          list(given.getOrDefault("latencies", "0,500")).stream().map(Integer::parseInt).toList(),
          Integer.parseInt(given.getOrDefault("slow-model-conversations", "500")),
          Integer.parseInt(given.getOrDefault("warmup-conversations", "100")),
          Integer.parseInt(given.getOrDefault("warmup-messages", "20")),
          Integer.parseInt(given.getOrDefault("warmup-jit-percent", "10")),
          Long.parseLong(given.getOrDefault("warmup-min-messages", "60000")),
          Long.parseLong(given.getOrDefault("warmup-max-messages", "250000")),
          list(given.getOrDefault("single-org", "1000x5,10000x1")).stream().map(Burst::parse).toList(),
          Integer.parseInt(given.getOrDefault("half-load-seconds", "15")),
          Integer.parseInt(given.getOrDefault("half-load-rate", "0")),
          Integer.parseInt(given.getOrDefault("webchat-messages", "20")),
          Duration.ofSeconds(Long.parseLong(given.getOrDefault("reply-timeout-seconds", "120"))),
          Duration.ofSeconds(Long.parseLong(given.getOrDefault("run-timeout-seconds", "600"))),
          Integer.parseInt(given.getOrDefault("max-in-flight", "256")),
          Path.of(given.getOrDefault("node-jar", "http/target/layercake.jar")),
          Arrays.stream(given.getOrDefault("node-java-options", "").split(" ")).filter(s -> !s.isBlank()).toList(),
          Boolean.parseBoolean(given.getOrDefault("pin", "true")),
          given.getOrDefault("llm-threads", ""),
          Path.of(given.getOrDefault("output", "target/bench/report.md")),
          Integer.parseInt(given.getOrDefault("bulkhead-messages", "12")),
          Boolean.parseBoolean(given.getOrDefault("heap-dumps", "false")));
      options.check();
      return options;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a number: " + e.getMessage(), e);
    }
  }

  private void check() {
    for (String database : databases) {
      if (!database.equals("h2") && !database.equals("postgres")) {
        throw new IllegalArgumentException("--databases takes h2 and/or postgres; got " + database);
      }
    }
    if (warmupMinMessages < 0 || warmupMinMessages > warmupMaxMessages) {
      throw new IllegalArgumentException("--warmup-min-messages takes 0 up to --warmup-max-messages; got "
          + warmupMinMessages);
    }
    if (halfLoadRate < 0) {
      throw new IllegalArgumentException("--half-load-rate takes messages per second, 0 for half of the peak; got "
          + halfLoadRate);
    }
    if (orgs < 1 || conversations < 1 || slowModelConversations < 1 || messages < 1 || runs < 1 || maxInFlight < 1
        || latenciesMillis.isEmpty()) {
      throw new IllegalArgumentException("--orgs, --conversations, --slow-model-conversations, --messages, --runs,"
          + " --max-in-flight and --latencies need at least 1");
    }
  }

  /** The closed loop's conversations at once with a model answering after {@code latencyMillis}. */
  int conversationsAt(int latencyMillis) {
    return latencyMillis == 0 ? conversations : slowModelConversations;
  }

  private static List<String> list(String commaSeparated) {
    return Arrays.stream(commaSeparated.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
  }
}
