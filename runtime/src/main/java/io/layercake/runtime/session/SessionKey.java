package io.layercake.runtime.session;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What identifies a conversation: one per agent, channel and contact. The session id is derived
 * from the three, so every message from the same contact reaches the same entity without a lookup,
 * and the contact (a phone number) does not appear in persistence ids.
 */
public record SessionKey(String agentId, String channel, String contact) {

  public String sessionId() {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256")
          .digest((agentId + '\u0000' + channel + '\u0000' + contact).getBytes(StandardCharsets.UTF_8));
      return "s-" + HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
