package io.layercake.http.webhooks;

import io.layercake.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Meta's {@code X-Hub-Signature-256}: {@code sha256=} + hex HMAC-SHA256 of the raw body with the app secret. */
public final class HubSignature {
  private static final String PREFIX = "sha256=";
  /** One keyed Mac per thread: {@code Mac.getInstance} looks the provider up on every call. */
  private static final ThreadLocal<KeyedMac> MACS = new ThreadLocal<>();

  private HubSignature() {}

  public static String sign(Secret appSecret, byte[] body) {
    return PREFIX + HexFormat.of().formatHex(hmac(appSecret, body));
  }

  /** Constant-time check of a presented header against the body's bytes exactly as received. */
  public static boolean valid(Secret appSecret, byte[] body, String header) {
    if (appSecret.isEmpty() || header == null || !header.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
      return false;
    }
    byte[] presented;
    try {
      presented = HexFormat.of().parseHex(header.substring(PREFIX.length()).strip().toLowerCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(hmac(appSecret, body), presented);
  }

  /** HMAC-SHA256 of {@code body} with {@code secret}; also signs our own outbound webhooks. */
  public static byte[] hmac(Secret secret, byte[] body) {
    String key = secret.reveal();
    KeyedMac keyed = MACS.get();
    if (keyed == null || !keyed.key().equals(key)) {
      keyed = new KeyedMac(key, newMac(key));
      MACS.set(keyed);
    }
    // doFinal leaves the Mac reset, keyed for the next body
    return keyed.mac().doFinal(body);
  }

  private static Mac newMac(String key) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac;
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JVM", e);
    }
  }

  private record KeyedMac(String key, Mac mac) {}
}
