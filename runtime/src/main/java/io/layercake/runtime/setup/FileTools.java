package io.layercake.runtime.setup;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.layercake.runtime.agent.AgentBundleSchema;
import io.layercake.runtime.llm.ModelReply;
import io.layercake.runtime.llm.ToolSpec;
import io.layercake.runtime.tools.Tool;
import java.util.List;
import java.util.Optional;

/** The tools of setup mode: the setup agent reads and writes the setup's files, and nothing else. */
public final class FileTools {
  public static final String WRITE = "write_file";
  public static final String READ = "read_file";
  public static final String LIST = "list_files";
  static final String SCHEMA_PROBLEMS = "agent-config.json does not match the schema yet:";
  private static final ObjectMapper JSON = new ObjectMapper();

  public static final List<ToolSpec> SPECS = List.of(
      new ToolSpec(WRITE, "Write the whole new content of one setup file (a new version; earlier versions are kept). "
          + "Paths: " + String.join(", ", SetupFiles.paths()) + ".",
          List.of(new Tool.Parameter("path", "Which file, for example kb/faq.md", true),
              new Tool.Parameter("content", "The file's complete new content (Markdown, or JSON for agent-config.json)", true))),
      new ToolSpec(READ, "Read the current content of one setup file, including the owner's own edits.",
          List.of(new Tool.Parameter("path", "Which file", true))),
      new ToolSpec(LIST, "List the setup files with their version and size.", List.of()));

  private FileTools() {}

  /** A tool call checked before anything is written: a write to make, or the answer to give the model. */
  public sealed interface Checked {}

  public record Write(String path, String content, String result) implements Checked {}

  public record Answer(String result) implements Checked {}

  public static Checked check(ModelReply.ToolCallRequest call, SetupState state) {
    String path = String.valueOf(call.arguments().getOrDefault("path", "")).strip();
    return switch (call.name()) {
      case LIST -> new Answer(listing(state));
      case READ -> new Answer(SetupFiles.known(path)
          ? state.current(path).map(SetupState.FileVersion::content).orElse("(" + path + " is still empty)")
          : unknown(path));
      case WRITE -> {
        if (!SetupFiles.known(path)) {
          yield new Answer(unknown(path));
        }
        Object content = call.arguments().get("content");
        if (!(content instanceof String text) || text.isBlank()) {
          yield new Answer("Nothing written: content is empty.");
        }
        if (text.length() > SetupFiles.MAX_FILE_CHARACTERS) {
          yield new Answer("Nothing written: a file holds at most " + SetupFiles.MAX_FILE_CHARACTERS + " characters.");
        }
        int version = state.current(path).map(SetupState.FileVersion::version).orElse(0) + 1;
        String saved = "Saved " + path + " as version " + version + ".";
        yield new Write(path, text, configProblems(path, text).map(problems -> saved + " " + problems).orElse(saved));
      }
      default -> new Answer("There is no tool " + call.name() + " in setup mode.");
    };
  }

  /** For agent-config.json: what the schema says is wrong, worded for the model and the owner. */
  public static Optional<String> configProblems(String path, String content) {
    if (!SetupFiles.CONFIG.equals(path)) {
      return Optional.empty();
    }
    try {
      List<String> problems = AgentBundleSchema.bundled().problems(JSON.readTree(content));
      return problems.isEmpty() ? Optional.empty() : Optional.of(SCHEMA_PROBLEMS + " " + String.join("; ", problems));
    } catch (JsonProcessingException e) {
      return Optional.of(SCHEMA_PROBLEMS + " it is not JSON (" + e.getOriginalMessage() + ")");
    }
  }

  private static String listing(SetupState state) {
    StringBuilder text = new StringBuilder();
    for (String path : SetupFiles.paths()) {
      text.append(path).append(": ").append(state.current(path)
          .map(file -> "version " + file.version() + ", " + file.content().length() + " characters, last written by "
              + file.author().name().toLowerCase(java.util.Locale.ROOT))
          .orElse("empty")).append('\n');
    }
    return text.toString().strip();
  }

  private static String unknown(String path) {
    return "There is no file " + path + ". The files are: " + String.join(", ", SetupFiles.paths()) + ".";
  }
}
