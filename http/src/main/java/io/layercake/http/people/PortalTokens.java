package io.layercake.http.people;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.layercake.persistence.people.JdbcSigningKeys;
import io.layercake.runtime.people.Role;
import io.layercake.runtime.people.Tokens;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Short-lived JWTs (ES256) with which an agency's own portal calls the API for one client user:
 * claims {@code sub} (the user), {@code org}, {@code role}, {@code exp}. The signing keys live
 * sealed in the database and are shared by all nodes (the oldest signs); the public halves are
 * published at {@code /.well-known/jwks.json}.
 */
public final class PortalTokens {
  static final String ISSUER = "layercake";
  private static final JOSEObjectType TYPE = new JOSEObjectType("at+jwt");

  private final JdbcSigningKeys store;
  private final Duration lifetime;
  private final Clock clock;
  private final Executor executor;
  private final Map<String, ECKey> keys = new ConcurrentHashMap<>();
  private final ECKey signing;

  private PortalTokens(JdbcSigningKeys store, List<ECKey> known, Duration lifetime, Clock clock, Executor executor) {
    this.store = store;
    this.lifetime = lifetime;
    this.clock = clock;
    this.executor = executor;
    known.forEach(key -> keys.put(key.getKeyID(), key));
    this.signing = known.get(0);
  }

  /** Loads the keys, making the first one on a database that has none; blocks, so only at start-up. */
  public static PortalTokens load(JdbcSigningKeys store, Duration lifetime, Clock clock, Executor executor) {
    List<ECKey> known = parse(store.all().toCompletableFuture().join());
    if (known.isEmpty()) {
      ECKey fresh = generate();
      store.add(new JdbcSigningKeys.StoredKey(fresh.getKeyID(), fresh.toJSONString())).toCompletableFuture().join();
      // another node starting at the same time may have added one too: the oldest wins on both
      known = parse(store.all().toCompletableFuture().join());
    }
    return new PortalTokens(store, known, lifetime, clock, executor);
  }

  /** A token; the same claims are answered to the caller. */
  public record Issued(String token, Instant expiresAt) {}

  /** What a valid token says. */
  public record Claims(String userId, String orgId, Role role) {}

  public Issued issue(String userId, String orgId, Role role) {
    Instant now = clock.instant();
    Instant expiresAt = now.plus(lifetime);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(ISSUER).subject(userId).claim("org", orgId).claim("role", role.wireName())
        .issueTime(Date.from(now)).expirationTime(Date.from(expiresAt)).jwtID(Tokens.random(12)).build();
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signing.getKeyID()).type(TYPE).build(), claims);
    try {
      jwt.sign(new ECDSASigner(signing));
    } catch (JOSEException e) {
      throw new IllegalStateException("an EC P-256 key signs ES256", e);
    }
    return new Issued(jwt.serialize(), expiresAt);
  }

  /** Whether a bearer credential is a JWT rather than an API key. */
  public static boolean looksLikeJwt(String credential) {
    return credential.startsWith("ey") && credential.chars().filter(c -> c == '.').count() == 2;
  }

  /** The token's claims when it is well formed, signed by one of our keys, from us, and not expired; else empty. */
  public CompletionStage<Optional<Claims>> verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    String kid = jwt.getHeader().getKeyID();
    if (kid == null || !JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
      return CompletableFuture.completedFuture(Optional.empty());
    }
    CompletionStage<Optional<ECKey>> key = keys.containsKey(kid)
        ? CompletableFuture.completedFuture(Optional.of(keys.get(kid)))
        : store.all().thenApplyAsync(stored -> {
          parse(stored).forEach(found -> keys.put(found.getKeyID(), found));
          return Optional.ofNullable(keys.get(kid));
        }, executor);
    return key.thenApply(found -> found.flatMap(ecKey -> claims(jwt, ecKey)));
  }

  private Optional<Claims> claims(SignedJWT jwt, ECKey key) {
    try {
      if (!jwt.verify(new ECDSAVerifier(key.toPublicJWK()))) {
        return Optional.empty();
      }
      JWTClaimsSet claims = jwt.getJWTClaimsSet();
      Date expires = claims.getExpirationTime();
      String orgId = claims.getStringClaim("org");
      if (!ISSUER.equals(claims.getIssuer()) || expires == null || !clock.instant().isBefore(expires.toInstant())
          || claims.getSubject() == null || orgId == null) {
        return Optional.empty();
      }
      return Role.parse(claims.getStringClaim("role")).map(role -> new Claims(claims.getSubject(), orgId, role));
    } catch (JOSEException | ParseException e) {
      return Optional.empty();
    }
  }

  /** The public keys as a JWK set. */
  public String jwks() {
    return new JWKSet(keys.values().stream().map(key -> (com.nimbusds.jose.jwk.JWK) key.toPublicJWK()).toList()).toString();
  }

  private static ECKey generate() {
    try {
      return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES256).keyIDFromThumbprint(true).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException("every Java 17 runtime generates EC P-256 keys", e);
    }
  }

  private static List<ECKey> parse(List<JdbcSigningKeys.StoredKey> stored) {
    return stored.stream().map(key -> {
      try {
        return ECKey.parse(key.privateJwk());
      } catch (ParseException e) {
        throw new IllegalStateException("signing key " + key.kid() + " is not a JWK", e);
      }
    }).toList();
  }
}
