package io.layercake.runtime.setup;

import io.layercake.runtime.knowledge.ConversationMessage;
import io.layercake.runtime.knowledge.KnowledgeDocument;
import io.layercake.runtime.llm.LanguageModel;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ModelRequest;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * Setup mode with the built-in {@code local} model: a guided interview that asks the
 * {@link InterviewStep}s one at a time, takes corrections ("actually we close at 5") to the step
 * they are about, and writes the files through the same {@code write_file} tool a hosted model
 * uses. Stateless and deterministic: everything is read again from the transcript and the files.
 */
public final class GuidedInterviewer implements LanguageModel {
  private static final Pattern WORDS = Pattern.compile("[^\\p{L}\\p{N}€$]+");
  private static final List<String> CORRECTION_OPENINGS = List.of(
      "actually", "correction", "sorry,", "sorry ", "no,", "no wait", "wait,", "update:", "change:", "oops");

  @Override
  public CompletionStage<ModelReply> complete(ModelRequest request) {
    return CompletableFuture.completedFuture(next(request));
  }

  ModelReply next(ModelRequest request) {
    Transcript transcript = Transcript.read(request.prompt().messages());
    Map<String, String> files = new LinkedHashMap<>();
    request.knowledge().forEach(file -> files.put(file.documentId(), file.text()));
    if (request.toolRounds().isEmpty() && transcript.lastTarget != null) {
      List<ModelReply.ToolCallRequest> writes = writes(transcript, files, request.agent().orgId());
      if (!writes.isEmpty()) {
        return reply("", writes);
      }
    }
    return reply(answer(transcript, request.toolRounds()), List.of());
  }

  private static List<ModelReply.ToolCallRequest> writes(Transcript transcript, Map<String, String> files, String orgId) {
    List<ModelReply.ToolCallRequest> writes = new ArrayList<>();
    InterviewStep step = transcript.lastTarget;
    step.document().ifPresent(path -> {
      String content = transcript.lastWasCorrection && files.containsKey(path)
          ? files.get(path).stripTrailing() + "\n\n" + SetupDocuments.correction(transcript.lastText)
          : SetupDocuments.write(step, transcript.answers.get(step), transcript.corrections.getOrDefault(step, List.of()));
      if (!content.equals(files.get(path))) {
        writes.add(write(writes.size(), path, content));
      }
    });
    String config = SetupDocuments.config(transcript.answers, transcript.corrections, files.get(SetupFiles.CONFIG), orgId);
    if (config != null && !config.equals(files.get(SetupFiles.CONFIG))) {
      writes.add(write(writes.size(), SetupFiles.CONFIG, config));
    }
    return writes;
  }

  private static ModelReply.ToolCallRequest write(int index, String path, String content) {
    return new ModelReply.ToolCallRequest("local_write_" + index, FileTools.WRITE, Map.of("path", path, "content", content));
  }

  private static String answer(Transcript transcript, List<ModelRequest.ToolRound> rounds) {
    StringBuilder text = new StringBuilder();
    List<String> written = rounds.stream()
        .filter(round -> FileTools.WRITE.equals(round.call().name()))
        .map(round -> String.valueOf(round.call().arguments().get("path")))
        .toList();
    if (transcript.lastWasCorrection && !written.isEmpty()) {
      text.append("Thanks, I corrected ").append(String.join(" and ", written)).append(". ");
    } else if (!written.isEmpty()) {
      text.append("Got it: I wrote that into ").append(String.join(" and ", written)).append(". ");
    }
    rounds.stream()
        .map(ModelRequest.ToolRound::result)
        .filter(result -> result.contains(FileTools.SCHEMA_PROBLEMS))
        .findFirst()
        .ifPresent(problem -> text.append(problem).append(' '));
    Optional<InterviewStep> next = InterviewStep.sequence().stream().filter(step -> !transcript.answers.containsKey(step)).findFirst();
    if (next.isEmpty()) {
      return text.append("That is everything I need. The files are ready: read them, change anything by hand, try the test chat, "
          + "then connect the agent. You can still correct me here, for example \"actually we close at 5\".").toString();
    }
    return text.append(next.get().question()).toString();
  }

  private static ModelReply reply(String text, List<ModelReply.ToolCallRequest> calls) {
    return new ModelReply(text, calls, ModelReply.TokenUsage.NONE, "local", "local");
  }

  static boolean isCorrection(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return CORRECTION_OPENINGS.stream().anyMatch(lower::startsWith);
  }

  /** The answered step a correction is about: the one sharing most topic words, else the latest answered. */
  static InterviewStep corrected(String text, Map<InterviewStep, String> answers, InterviewStep latest) {
    Set<String> words = new java.util.HashSet<>();
    for (String word : WORDS.split(text.toLowerCase(Locale.ROOT))) {
      words.add(word);
      if (word.length() > 3 && word.endsWith("s")) {
        words.add(word.substring(0, word.length() - 1));
      }
    }
    InterviewStep best = latest;
    long bestOverlap = 0;
    for (InterviewStep step : answers.keySet()) {
      long overlap = step.topicWords().stream().filter(words::contains).count();
      if (overlap > bestOverlap) {
        best = step;
        bestOverlap = overlap;
      }
    }
    return best;
  }

  /** What the owner said so far, step by step, and what the last message did. */
  private static final class Transcript {
    private final Map<InterviewStep, String> answers = new EnumMap<>(InterviewStep.class);
    private final Map<InterviewStep, List<String>> corrections = new EnumMap<>(InterviewStep.class);
    private InterviewStep lastTarget;
    private boolean lastWasCorrection;
    private String lastText;

    static Transcript read(List<ConversationMessage> messages) {
      Transcript transcript = new Transcript();
      InterviewStep asked = null;
      InterviewStep latestAnswered = null;
      for (ConversationMessage message : messages) {
        if (message.role() == ConversationMessage.Role.AGENT) {
          asked = InterviewStep.askedIn(message.text()).orElse(null);
          transcript.lastTarget = null;
          continue;
        }
        if (message.role() != ConversationMessage.Role.CUSTOMER) {
          continue;
        }
        String text = message.text().strip();
        transcript.lastText = text;
        if (isCorrection(text) && latestAnswered != null) {
          InterviewStep step = corrected(text, transcript.answers, latestAnswered);
          transcript.corrections.computeIfAbsent(step, ignored -> new ArrayList<>()).add(text);
          transcript.lastTarget = step;
          transcript.lastWasCorrection = true;
        } else if (asked != null) {
          transcript.answers.put(asked, text);
          transcript.corrections.remove(asked);
          transcript.lastTarget = asked;
          transcript.lastWasCorrection = false;
          latestAnswered = asked;
        } else {
          transcript.lastTarget = null;
        }
      }
      return transcript;
    }
  }

  /** The interviewer reads the files it was given as documents named by their path. */
  static KnowledgeDocument file(String path, String content) {
    return new KnowledgeDocument(path, null, path, List.of(), content, null);
  }
}
