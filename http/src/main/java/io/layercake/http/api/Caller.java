package io.layercake.http.api;

import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.User;
import java.util.Optional;
import java.util.Set;

/**
 * Who calls the API, acting in one organization with a set of scopes: a machine's API key, or a
 * person (signed in with a session cookie, or through a portal token) with a role.
 */
public record Caller(String orgId, Set<String> scopes, Identity identity) {
  public Caller {
    scopes = Set.copyOf(scopes);
  }

  /** Who is behind a call; {@link #actor()} is how their decisions and messages are recorded. */
  public sealed interface Identity {
    String actor();
  }

  /** An organization's API key. */
  public record Key(String keyId, String name) implements Identity {
    @Override
    public String actor() {
      return "key:" + keyId + " (" + name + ")";
    }
  }

  /** A person; {@code session} is empty for a portal token, which cannot list or end sessions. */
  public record Person(User user, Role role, Optional<Session> session) implements Identity {
    @Override
    public String actor() {
      return user.actor();
    }
  }

  /** The cookie session a person signed in with. */
  public record Session(String sessionId, String csrfToken) {}

  public static Caller key(String orgId, Set<String> scopes, String keyId, String name) {
    return new Caller(orgId, scopes, new Key(keyId, name));
  }

  public static Caller person(String orgId, User user, Role role, Optional<Session> session) {
    return new Caller(orgId, role.scopes(), new Person(user, role, session));
  }

  public String actor() {
    return identity.actor();
  }

  public Optional<Person> person() {
    return identity instanceof Person person ? Optional.of(person) : Optional.empty();
  }
}
