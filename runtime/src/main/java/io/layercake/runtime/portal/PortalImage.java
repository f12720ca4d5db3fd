package io.layercake.runtime.portal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/** A portal's logo or favicon: the bytes as uploaded, their type as read from the bytes, and an ETag. */
public record PortalImage(Kind kind, String contentType, byte[] bytes, String etag) {

  public enum Kind {
    LOGO, FAVICON;

    public String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<Kind> parse(String wireName) {
      return Arrays.stream(values()).filter(kind -> kind.wireName().equals(wireName)).findFirst();
    }
  }

  /**
   * The image when the bytes are a PNG, JPEG or WebP (and, for a favicon, an ICO) no bigger than
   * {@code maxBytes}; the type comes from the bytes, never from what the uploader claims. SVG is
   * refused: it can carry scripts.
   */
  public static Checked check(Kind kind, byte[] bytes, long maxBytes) {
    if (bytes.length == 0) {
      return new Checked.Refused("the " + kind.wireName() + " is empty");
    }
    if (bytes.length > maxBytes) {
      return new Checked.Refused("the " + kind.wireName() + " is " + bytes.length + " bytes; at most " + maxBytes + " are accepted");
    }
    Optional<String> type = sniff(bytes).filter(found -> kind == Kind.FAVICON || !found.equals("image/x-icon"));
    if (type.isEmpty()) {
      return new Checked.Refused("the " + kind.wireName() + " must be a PNG, JPEG or WebP image"
          + (kind == Kind.FAVICON ? " or an ICO file" : ""));
    }
    return new Checked.Accepted(new PortalImage(kind, type.get(), bytes.clone(), etag(bytes)));
  }

  /** What {@link #check} found. */
  public sealed interface Checked {
    record Accepted(PortalImage image) implements Checked {}

    record Refused(String reason) implements Checked {}
  }

  private static Optional<String> sniff(byte[] bytes) {
    if (startsWith(bytes, 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A)) {
      return Optional.of("image/png");
    }
    if (startsWith(bytes, 0xFF, 0xD8, 0xFF)) {
      return Optional.of("image/jpeg");
    }
    if (bytes.length >= 12 && startsWith(bytes, 'R', 'I', 'F', 'F') && bytes[8] == 'W' && bytes[9] == 'E' && bytes[10] == 'B' && bytes[11] == 'P') {
      return Optional.of("image/webp");
    }
    if (startsWith(bytes, 0x00, 0x00, 0x01, 0x00)) {
      return Optional.of("image/x-icon");
    }
    return Optional.empty();
  }

  private static boolean startsWith(byte[] bytes, int... prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if ((bytes[i] & 0xFF) != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static String etag(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
