package io.layercake.runtime.people;

import java.time.Instant;

/** A person who signs in. {@code email} is stored lower case; a disabled user cannot sign in. */
public record User(String userId, String email, String name, Instant createdAt, Instant disabledAt) {
  public boolean disabled() {
    return disabledAt != null;
  }

  /** How this person's actions are recorded in the journal and shown in timelines: the name first, then the id. */
  public String actor() {
    return name + " (user:" + userId + ")";
  }
}
