package io.layercake.persistence.secrets;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts credentials before they are stored: AES-256-GCM from the JDK, a random 96-bit nonce per value, and
 * the place the value belongs to (for example the organization and channel) as associated data, so a value
 * copied to another row does not decrypt. A stored value reads {@code enc:v1:<key id>:<base64 of nonce,
 * ciphertext and tag>}: the version leaves room for another scheme or key later, and the key id (the first
 * 32 bits of a SHA-256 of the key) says which key wrote it. A value without the prefix is a plain value
 * stored before encryption existed and is answered as it is.
 */
public final class SecretBox {
  private static final String PREFIX = "enc:v1:";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private static final SecureRandom RANDOM = new SecureRandom();
  /** One cipher per thread ({@code Cipher.getInstance} looks the provider up every call); every use inits it. */
  private static final ThreadLocal<Cipher> CIPHERS = ThreadLocal.withInitial(() -> {
    try {
      return Cipher.getInstance("AES/GCM/NoPadding");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
    }
  });

  private final SecretKeySpec key;
  private final String keyId;

  /** {@code key}: 32 bytes. */
  public SecretBox(byte[] key) {
    if (key.length != 32) {
      throw new IllegalArgumentException("an AES-256 key has 32 bytes, not " + key.length);
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.keyId = keyId(key);
  }

  /** Whether a stored value is encrypted (as opposed to a plain value stored before encryption). */
  public static boolean isSealed(String stored) {
    return stored != null && stored.startsWith(PREFIX);
  }

  /** The stored form of {@code plain}, bound to {@code context} (where it is stored). */
  public String seal(String plain, String context) {
    byte[] nonce = new byte[NONCE_BYTES];
    RANDOM.nextBytes(nonce);
    try {
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
      byte[] stored = new byte[nonce.length + sealed.length];
      System.arraycopy(nonce, 0, stored, 0, nonce.length);
      System.arraycopy(sealed, 0, stored, nonce.length, sealed.length);
      return PREFIX + keyId + ":" + Base64.getEncoder().encodeToString(stored);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM is part of every Java 17 runtime", e);
    }
  }

  /**
   * The plain value of a stored one; a value stored before encryption is answered as it is.
   *
   * @throws IllegalStateException when the value was written with another key, or was altered or moved
   *     (the message never contains the value)
   */
  public String open(String stored, String context) {
    if (!isSealed(stored)) {
      return stored;
    }
    String rest = stored.substring(PREFIX.length());
    int colon = rest.indexOf(':');
    if (colon < 0) {
      throw new IllegalStateException("a stored secret (" + context + ") is malformed");
    }
    if (!rest.substring(0, colon).equals(keyId)) {
      throw new IllegalStateException("a stored secret (" + context + ") was encrypted with another key (id "
          + rest.substring(0, colon) + ", this node's key has id " + keyId + "): set the key it was written with");
    }
    try {
      byte[] bytes = Base64.getDecoder().decode(rest.substring(colon + 1));
      Cipher cipher = CIPHERS.get();
      cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, bytes, 0, NONCE_BYTES));
      cipher.updateAAD(context.getBytes(StandardCharsets.UTF_8));
      return new String(cipher.doFinal(bytes, NONCE_BYTES, bytes.length - NONCE_BYTES), StandardCharsets.UTF_8);
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new IllegalStateException(
          "a stored secret (" + context + ") does not decrypt: it was altered or belongs elsewhere");
    }
  }

  /** Which key this box holds, as written into every value it seals; not secret. */
  public String keyId() {
    return keyId;
  }

  private static String keyId(byte[] key) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update("layercake secrets key id".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(sha256.digest(key), 0, 4);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
