package io.layercake.runtime.setup;

import io.layercake.runtime.agent.AgentConfig;
import io.layercake.runtime.serialization.JsonSerializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A setup interview: who started it for which organization, what was said, every version of every
 * file, and the last connection to an agent. {@code orgId == null} until it started.
 */
public record SetupState(
    String orgId, String ownerUserId, String ownerName, AgentConfig.ModelChoice model, List<Message> messages,
    Map<String, List<FileVersion>> files, Connection connection, Instant startedAt) implements JsonSerializable {
  public static final SetupState EMPTY = new SetupState(null, null, null, null, List.of(), Map.of(), null, null);

  public SetupState {
    messages = List.copyOf(messages);
    files = java.util.Collections.unmodifiableMap(new TreeMap<>(files));
  }

  public enum Role {
    OWNER,
    AGENT
  }

  /** A message of the interview; {@code credits} is what an agent message cost. */
  public record Message(Role role, String text, String by, long credits, Instant at) implements JsonSerializable {}

  public enum Author {
    AGENT,
    PERSON
  }

  /** One version of a file: who wrote it (the setup agent, or a person by hand) and when. */
  public record FileVersion(int version, String content, Author author, String by, Instant at) implements JsonSerializable {}

  /** What the last connect did: the agent, the bundle id it imported, the documents it saved. */
  public record Connection(String agentId, String bundleId, List<String> documentIds, Instant at) implements JsonSerializable {
    public Connection {
      documentIds = List.copyOf(documentIds);
    }
  }

  public boolean exists() {
    return orgId != null;
  }

  /** The owner's last message has no answer yet (a turn was cut short by a restart). */
  public boolean awaitingAnswer() {
    return !messages.isEmpty() && messages.get(messages.size() - 1).role() == Role.OWNER;
  }

  /** Owner messages so far: numbers the turns (and their credit reservations). */
  public int turns() {
    return (int) messages.stream().filter(message -> message.role() == Role.OWNER).count();
  }

  public Optional<FileVersion> current(String path) {
    List<FileVersion> versions = files.get(path);
    return versions == null || versions.isEmpty() ? Optional.empty() : Optional.of(versions.get(versions.size() - 1));
  }

  SetupState started(String orgId, String ownerUserId, String ownerName, AgentConfig.ModelChoice model, Message opening) {
    return new SetupState(orgId, ownerUserId, ownerName, model, List.of(opening), files, connection, opening.at());
  }

  SetupState with(Message message) {
    List<Message> more = new ArrayList<>(messages);
    more.add(message);
    return new SetupState(orgId, ownerUserId, ownerName, model, more, files, connection, startedAt);
  }

  SetupState written(String path, String content, Author author, String by, Instant at) {
    Map<String, List<FileVersion>> more = new TreeMap<>(files);
    List<FileVersion> versions = new ArrayList<>(files.getOrDefault(path, List.of()));
    versions.add(new FileVersion(versions.size() + 1, content, author, by, at));
    more.put(path, List.copyOf(versions));
    return new SetupState(orgId, ownerUserId, ownerName, model, messages, more, connection, startedAt);
  }

  SetupState connected(Connection connection) {
    return new SetupState(orgId, ownerUserId, ownerName, model, messages, files, connection, startedAt);
  }
}
