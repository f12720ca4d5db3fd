package io.layercake.runtime.agent;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.runtime.channel.PhoneNumberEntry;
import io.layercake.runtime.channel.PhoneNumbers;
import io.layercake.runtime.knowledge.KnowledgeLibrary;
import io.layercake.runtime.knowledge.StoredDocument;
import io.layercake.runtime.knowledge.TextExtraction;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Imports an {@code agent-config.json} bundle: the agent, its knowledge documents and its channel
 * bindings. Everything is validated before anything is created; the agent is created first
 * (idempotent for the same configuration), then documents, bindings and the import record in one
 * transaction, so a retry after a crash completes the import and a second import of the same
 * bundle id creates nothing. SMS numbers are stored in E.164, national formats read in the
 * organization's default country; a number that is not one refuses the bundle.
 */
public final class AgentImporter {
  /** The import record keeps the document ids in one column: 100 ids fit. */
  static final int MAX_DOCUMENTS = 100;

  private final AgentDirectory agents;
  private final AgentImports imports;
  private final PhoneNumberEntry numbers;
  private final Clock clock;
  private final Executor executor;

  public AgentImporter(
      AgentDirectory agents, AgentImports imports, PhoneNumberEntry numbers, Clock clock, Executor executor) {
    this.agents = agents;
    this.imports = imports;
    this.numbers = numbers;
    this.clock = clock;
    this.executor = executor;
  }

  /** A bundle as the import takes it (the JSON Schema has already checked its shape). */
  public record Bundle(String bundleId, String agentId, AgentConfig agent, List<Document> documents, List<ChannelBinding> bindings) {
    public Bundle {
      documents = documents == null ? List.of() : List.copyOf(documents);
      bindings = bindings == null ? List.of() : List.copyOf(bindings);
    }
  }

  public record Document(String title, List<String> tags, String markdown) {}

  /** The import, or why it was refused (nothing was created then). */
  public sealed interface Outcome {}

  public record Imported(AgentImports.ImportResult result) implements Outcome {}

  public record Refused(boolean conflict, List<String> problems) implements Outcome {}

  public CompletionStage<Outcome> importBundle(Bundle given) {
    return importBundle(given, false, null);
  }

  /**
   * Imports a bundle whose agent may exist already (setup mode's connect): the agent is created,
   * or updated to this configuration when it is the organization's; documents and bindings as in
   * an import. {@code by} is recorded on the agent's event.
   */
  public CompletionStage<Outcome> connect(Bundle given, String by) {
    return importBundle(given, true, by);
  }

  private CompletionStage<Outcome> importBundle(Bundle given, boolean updateAgent, String by) {
    String orgId = given.agent().orgId();
    return numbers.countryFor(orgId).thenComposeAsync(country -> {
      List<String> problems = new ArrayList<>();
      Bundle bundle = withNormalizedNumbers(given, country, problems);
      problems.addAll(problems(bundle));
      if (!problems.isEmpty()) {
        return CompletableFuture.completedFuture(new Refused(false, problems));
      }
      return imports.find(orgId, bundle.bundleId()).thenComposeAsync(existing -> existing
          .<CompletionStage<Outcome>>map(result -> CompletableFuture.completedFuture(new Imported(result)))
          .orElseGet(() -> create(bundle, updateAgent, by)), executor);
    }, executor);
  }

  /** The bundle with its SMS numbers in E.164; a number that is not one is a problem. */
  private static Bundle withNormalizedNumbers(Bundle bundle, Optional<String> country, List<String> problems) {
    List<ChannelBinding> bindings = new ArrayList<>();
    for (int i = 0; i < bundle.bindings().size(); i++) {
      ChannelBinding binding = bundle.bindings().get(i);
      if (!"sms".equals(binding.channel())) {
        bindings.add(binding);
      } else if (PhoneNumbers.normalize(binding.address(), country) instanceof PhoneNumbers.Valid valid) {
        bindings.add(new ChannelBinding(binding.channel(), valid.e164()));
      } else {
        problems.add("channelBindings[" + i + "]: "
            + ((PhoneNumbers.Invalid) PhoneNumbers.normalize(binding.address(), country)).reason());
      }
    }
    return new Bundle(bundle.bundleId(), bundle.agentId(), bundle.agent(), bundle.documents(), bindings);
  }

  private CompletionStage<Outcome> create(Bundle bundle, boolean updateAgent, String by) {
    return imports.takenByOthers(bundle.agentId(), bundle.bindings()).thenComposeAsync(taken -> {
      if (!taken.isEmpty()) {
        return CompletableFuture.completedFuture(new Refused(true, taken.stream()
            .map(binding -> binding.channel() + " " + binding.address() + " already answers for another agent").toList()));
      }
      return agent(bundle, updateAgent, by).thenComposeAsync(reply -> {
        if (reply instanceof AgentEntity.Rejected rejected) {
          return CompletableFuture.completedFuture(
              new Refused(rejected.reason() == AgentEntity.Reason.CONFLICT, rejected.problems()));
        }
        return imports.store(bundle.agent().orgId(), bundle.bundleId(), bundle.agentId(), documents(bundle), bundle.bindings())
            .<Outcome>thenApply(Imported::new)
            .exceptionallyAsync(failure -> {
              Throwable cause = Stages.cause(failure);
              if (cause instanceof AgentImports.BindingTaken takenMeanwhile) {
                return new Refused(true, List.of(takenMeanwhile.getMessage()));
              }
              throw failure instanceof RuntimeException runtime ? runtime : new java.util.concurrent.CompletionException(failure);
            }, executor);
      }, executor);
    }, executor);
  }

  private CompletionStage<AgentEntity.Reply> agent(Bundle bundle, boolean updateAgent, String by) {
    if (!updateAgent) {
      return agents.create(bundle.agentId(), bundle.agent(), by);
    }
    return agents.get(bundle.agentId()).thenComposeAsync(found -> found instanceof AgentEntity.Agent
        ? agents.update(bundle.agentId(), bundle.agent(), by)
        : agents.create(bundle.agentId(), bundle.agent(), by), executor);
  }

  private List<StoredDocument> documents(Bundle bundle) {
    var now = clock.instant();
    List<StoredDocument> documents = new ArrayList<>();
    for (Document document : bundle.documents()) {
      String text = document.markdown().replace("\r\n", "\n").strip();
      documents.add(new StoredDocument("doc_" + UUID.randomUUID().toString().replace("-", ""), bundle.agent().orgId(),
          document.title().strip(), KnowledgeLibrary.normalizeTags(document.tags()), "text/markdown",
          StoredDocument.Status.READY, null, document.markdown().getBytes(java.nio.charset.StandardCharsets.UTF_8).length,
          text, now, now));
    }
    return documents;
  }

  private static List<String> problems(Bundle bundle) {
    List<String> problems = new ArrayList<>(AgentRules.problems(bundle.agent()));
    if (bundle.documents().size() > MAX_DOCUMENTS) {
      problems.add("at most " + MAX_DOCUMENTS + " documents in one bundle");
    }
    if (bundle.bindings().stream().distinct().count() != bundle.bindings().size()) {
      problems.add("a channel binding is listed twice");
    }
    if (bundle.documents().stream().anyMatch(document -> document.tags() != null && document.tags().size() > 30)) {
      problems.add("at most 30 tags per document");
    }
    for (int i = 0; i < bundle.documents().size(); i++) {
      Document document = bundle.documents().get(i);
      if (!(TextExtraction.extract("text/markdown", document.markdown().getBytes(java.nio.charset.StandardCharsets.UTF_8))
          instanceof TextExtraction.Extracted)) {
        problems.add("documents[" + i + "] has no text");
      }
      if (!KnowledgeLibrary.validTags(document.tags())) {
        problems.add("documents[" + i + "] has an invalid tag");
      }
    }
    for (ChannelBinding binding : bundle.bindings()) {
      if (!ChannelBinding.CHANNELS.contains(binding.channel())) {
        problems.add("unknown channel " + binding.channel());
      }
    }
    return problems;
  }

}
