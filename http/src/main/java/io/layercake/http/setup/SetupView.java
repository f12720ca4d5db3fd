package io.layercake.http.setup;

import io.layercake.runtime.setup.FileTools;
import io.layercake.runtime.setup.SetupFiles;
import io.layercake.runtime.setup.SetupState;
import java.time.Instant;
import java.util.List;

/** A setup as the API shows it: the interview, every file as it is now, the last connection. */
public record SetupView(
    String setupId, String orgId, String owner, String provider, String model, List<Message> messages, List<File> files,
    List<String> configProblems, SetupState.Connection connection, Instant startedAt) {

  public record Message(String role, String text, long credits, Instant at) {}

  /** A file; {@code version} 0 and empty content until it is first written; {@code history}: every version, oldest first. */
  public record File(String path, int version, String author, String by, Instant at, String content, List<Change> history) {}

  /** Who wrote a version of a file, and when (its content: {@code /file-versions}). */
  public record Change(int version, String author, String by, Instant at) {}

  /** One earlier or current version of a file. */
  public record Version(int version, String author, String by, Instant at, String content) {}

  public record Versions(String path, List<Version> versions) {}

  public static SetupView of(String setupId, SetupState state) {
    List<File> files = SetupFiles.paths().stream()
        .map(path -> state.current(path)
            .map(file -> new File(path, file.version(), lower(file.author()), file.by(), file.at(), file.content(),
                state.files().get(path).stream()
                    .map(version -> new Change(version.version(), lower(version.author()), version.by(), version.at())).toList()))
            .orElse(new File(path, 0, null, null, null, "", List.of())))
        .toList();
    List<String> problems = state.current(SetupFiles.CONFIG)
        .flatMap(file -> FileTools.configProblems(SetupFiles.CONFIG, file.content()))
        .map(List::of)
        .orElse(state.current(SetupFiles.CONFIG).isPresent() ? List.of() : List.of("agent-config.json is still empty"));
    return new SetupView(setupId, state.orgId(), state.ownerName(), state.model().provider(), state.model().model(),
        state.messages().stream().map(message -> new Message(lower(message.role()), message.text(), message.credits(), message.at()))
            .toList(),
        files, problems, state.connection(), state.startedAt());
  }

  static Versions versions(SetupState state, String path) {
    return new Versions(path, state.files().getOrDefault(path, List.of()).stream()
        .map(file -> new Version(file.version(), lower(file.author()), file.by(), file.at(), file.content()))
        .toList());
  }

  private static String lower(Enum<?> value) {
    return value.name().toLowerCase(java.util.Locale.ROOT);
  }
}
