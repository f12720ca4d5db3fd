package io.layercake.runtime.people;

import java.time.Instant;

/** A user's role in one organization; {@code createdBy} is the actor who granted it. */
public record Membership(String userId, String orgId, Role role, Instant createdAt, String createdBy) {}
