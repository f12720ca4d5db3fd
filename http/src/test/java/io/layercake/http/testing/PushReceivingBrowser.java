package io.layercake.http.testing;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The browser's side of web push, written from the RFCs with the JDK's own crypto: it has a P-256
 * key pair and an auth secret to subscribe with, opens an {@code aes128gcm} payload (RFC 8188,
 * RFC 8291) and checks a {@code vapid} Authorization header (RFC 8292) against the application
 * server key, so a test knows the library encrypted and signed what a real browser would accept.
 */
public final class PushReceivingBrowser {
  private static final Pattern VAPID = Pattern.compile("vapid t=([^,\\s]+),\\s*k=([A-Za-z0-9_-]+)");

  private final KeyPair keys;
  private final byte[] auth = new byte[16];

  public PushReceivingBrowser() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    keys = generator.generateKeyPair();
    new SecureRandom().nextBytes(auth);
  }

  /** The subscription's {@code keys.p256dh}: the uncompressed public point, base64url. */
  public String p256dh() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(uncompressed((ECPublicKey) keys.getPublic()));
  }

  public String auth() {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(auth);
  }

  /** The plaintext of an {@code aes128gcm} push body encrypted for this browser. */
  public String open(byte[] body) throws GeneralSecurityException {
    ByteBuffer header = ByteBuffer.wrap(body);
    byte[] salt = new byte[16];
    header.get(salt);
    header.getInt();
    byte[] serverPublic = new byte[header.get() & 0xff];
    header.get(serverPublic);
    byte[] ciphertext = Arrays.copyOfRange(body, header.position(), body.length);

    KeyAgreement agreement = KeyAgreement.getInstance("ECDH");
    agreement.init(keys.getPrivate());
    agreement.doPhase(publicKey(serverPublic), true);
    byte[] shared = agreement.generateSecret();
    byte[] keyInfo = concat("WebPush: info\0".getBytes(StandardCharsets.US_ASCII), uncompressed((ECPublicKey) keys.getPublic()),
        serverPublic, new byte[] {1});
    byte[] ikm = hmac(hmac(auth, shared), keyInfo);
    byte[] prk = hmac(salt, ikm);
    byte[] cek = Arrays.copyOf(hmac(prk, concat("Content-Encoding: aes128gcm\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 16);
    byte[] nonce = Arrays.copyOf(hmac(prk, concat("Content-Encoding: nonce\0".getBytes(StandardCharsets.US_ASCII), new byte[] {1})), 12);
    Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
    cipher.init(Cipher.DECRYPT_MODE, new SecretKeySpec(cek, "AES"), new GCMParameterSpec(128, nonce));
    byte[] padded = cipher.doFinal(ciphertext);
    int end = padded.length - 1;
    while (end >= 0 && padded[end] == 0) {
      end--;
    }
    if (end < 0 || padded[end] != 2) {
      throw new GeneralSecurityException("the last record's delimiter is missing");
    }
    return new String(padded, 0, end, StandardCharsets.UTF_8);
  }

  /**
   * The claims of a {@code vapid t=..., k=...} Authorization header, after checking that {@code k}
   * is {@code applicationServerKey} and the token is signed by it (ES256).
   */
  public static JWTClaimsSet verifiedVapid(String authorization, String applicationServerKey) throws Exception {
    Matcher vapid = VAPID.matcher(authorization);
    if (!vapid.matches() || !vapid.group(2).equals(applicationServerKey)) {
      throw new GeneralSecurityException("not a vapid header for this key: " + authorization);
    }
    byte[] point = Base64.getUrlDecoder().decode(applicationServerKey);
    ECKey key = new ECKey.Builder(Curve.P_256, Base64URL.encode(Arrays.copyOfRange(point, 1, 33)),
        Base64URL.encode(Arrays.copyOfRange(point, 33, 65))).build();
    SignedJWT token = SignedJWT.parse(vapid.group(1));
    if (!token.verify(new ECDSAVerifier(key))) {
      throw new GeneralSecurityException("the vapid token's signature does not verify");
    }
    return token.getJWTClaimsSet();
  }

  private ECPublicKey publicKey(byte[] uncompressed) throws GeneralSecurityException {
    ECPoint point = new ECPoint(new BigInteger(1, Arrays.copyOfRange(uncompressed, 1, 33)),
        new BigInteger(1, Arrays.copyOfRange(uncompressed, 33, 65)));
    return (ECPublicKey) KeyFactory.getInstance("EC")
        .generatePublic(new ECPublicKeySpec(point, ((ECPublicKey) keys.getPublic()).getParams()));
  }

  private static byte[] uncompressed(ECPublicKey key) {
    byte[] point = new byte[65];
    point[0] = 4;
    copyUnsigned(key.getW().getAffineX(), point, 1);
    copyUnsigned(key.getW().getAffineY(), point, 33);
    return point;
  }

  private static void copyUnsigned(BigInteger value, byte[] into, int at) {
    byte[] bytes = value.toByteArray();
    int length = Math.min(bytes.length, 32);
    System.arraycopy(bytes, bytes.length - length, into, at + 32 - length, length);
  }

  private static byte[] hmac(byte[] key, byte[] data) throws GeneralSecurityException {
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(key, "HmacSHA256"));
    return mac.doFinal(data);
  }

  private static byte[] concat(byte[]... parts) {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    ByteBuffer all = ByteBuffer.allocate(length);
    for (byte[] part : parts) {
      all.put(part);
    }
    return all.array();
  }
}
