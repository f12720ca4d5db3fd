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
  /** One digest per thread: {@code getInstance} looks the provider up on every call. */
  private static final ThreadLocal<MessageDigest> SHA_256 = ThreadLocal.withInitial(() -> {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  });
  private static final HexFormat HEX = HexFormat.of();

  public String sessionId() {
    byte[] digest = SHA_256.get().digest((agentId + '\u0000' + channel + '\u0000' + contact).getBytes(StandardCharsets.UTF_8));
    return "s-" + HEX.formatHex(digest, 0, 16);
  }
}
