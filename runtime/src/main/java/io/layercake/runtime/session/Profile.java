package io.layercake.runtime.session;

import io.layercake.runtime.serialization.JsonSerializable;

/** Who the conversation is with. */
public record Profile(String sessionId, String orgId, String agentId, String channel, String contact)
    implements JsonSerializable {}
