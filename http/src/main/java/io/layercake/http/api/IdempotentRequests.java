package io.layercake.http.api;

import io.layercake.runtime.concurrent.Stages;
import io.layercake.http.errors.ErrorHandling;
import io.layercake.runtime.access.IdempotencyKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Complete;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.RouteResult;

/**
 * {@code Idempotency-Key} on the operations that create something: the first request with a key
 * runs and its answer is kept for 24 hours; the same request again (same method, path, query and
 * body) gets that answer, marked {@code Idempotent-Replayed: true}; the key with another request is a
 * 422, and while the first still runs a 409. Answers of 5xx are not kept: the request may be retried
 * with the same key. Keys belong to the caller's organization.
 */
public final class IdempotentRequests extends AllDirectives {
  public static final String HEADER = "Idempotency-Key";
  private static final Pattern WELL_FORMED = Pattern.compile("[\\x21-\\x7e]{1,255}");
  private static final Duration BODY_WAIT = Duration.ofSeconds(10);
  private static final int MAX_KEPT_ANSWER = 64 * 1024;

  private final IdempotencyKeys keys;
  private final long maxRequestBytes;
  private final long maxUploadBytes;
  private final Executor executor;

  /** The body is read whole to compare requests: at most {@code maxRequestBytes}, or {@code maxUploadBytes} for an upload. */
  public IdempotentRequests(IdempotencyKeys keys, long maxRequestBytes, long maxUploadBytes, Executor executor) {
    this.keys = keys;
    this.maxRequestBytes = maxRequestBytes;
    this.maxUploadBytes = maxUploadBytes;
    this.executor = executor;
  }

  /** {@code inner} once per key of {@code orgId}; {@code upload}: the body may be a document (larger than other requests). */
  public Route once(String orgId, boolean upload, Supplier<Route> inner) {
    long maxBodyBytes = upload ? maxUploadBytes : maxRequestBytes;
    return optionalHeaderValueByName(HEADER, header -> {
      if (header.isEmpty()) {
        return inner.get();
      }
      String key = header.get().strip();
      if (!WELL_FORMED.matcher(key).matches()) {
        return complete(ErrorHandling.response(StatusCodes.BAD_REQUEST, "invalid_idempotency_key",
            HEADER + " is 1 to 255 visible ASCII characters, such as a UUID"));
      }
      return withSizeLimit(maxBodyBytes, () -> toStrictEntity(BODY_WAIT, maxBodyBytes, () -> extractRequest(request -> onSuccess(keys.claim(orgId, key, hash(request)), claim -> {
        if (claim instanceof IdempotencyKeys.Replay replay) {
          return complete(replayed(replay.answer()));
        }
        if (claim instanceof IdempotencyKeys.Mismatch) {
          return complete(ErrorHandling.response(StatusCodes.UNPROCESSABLE_ENTITY, "idempotency_key_reused",
              "this " + HEADER + " was used with a different request; use a new key for a new request"));
        }
        if (claim instanceof IdempotencyKeys.InProgress) {
          return complete(ErrorHandling.response(StatusCodes.CONFLICT, "idempotency_key_in_use",
              "a request with this " + HEADER + " is still running; retry in a moment"));
        }
        return mapRouteResultFuture(result -> keep(orgId, key, result), inner);
      }))));
    });
  }

  /** Keeps a complete answer below 500; gives the key up otherwise, so a retry runs. */
  private CompletionStage<RouteResult> keep(String orgId, String key, CompletionStage<RouteResult> result) {
    return result.handleAsync((done, failure) -> {
      if (failure == null && done instanceof Complete complete && complete.getResponse().status().intValue() < 500
          && complete.getResponse().entity() instanceof HttpEntity.Strict strict && strict.getData().size() <= MAX_KEPT_ANSWER) {
        HttpResponse response = complete.getResponse();
        return keys.answered(orgId, key, new IdempotencyKeys.Answer(response.status().intValue(),
                strict.getContentType().toString(), strict.getData().utf8String()))
            .thenApply(kept -> done);
      }
      CompletionStage<RouteResult> answer = failure == null
          ? CompletableFuture.completedFuture(done)
          : CompletableFuture.failedFuture(Stages.cause(failure));
      return keys.release(orgId, key).thenCompose(released -> answer);
    }, executor).thenCompose(stage -> stage);
  }

  private static HttpResponse replayed(IdempotencyKeys.Answer answer) {
    ContentType type = ContentTypes.parse(answer.contentType());
    return HttpResponse.create()
        .withStatus(answer.status())
        .withEntity(type, answer.body() == null ? new byte[0] : answer.body().getBytes(StandardCharsets.UTF_8))
        .addHeader(RawHeader.create("Idempotent-Replayed", "true"));
  }

  private static String hash(HttpRequest request) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      digest.update((request.method().name() + " " + request.getUri().path() + "?" + request.getUri().rawQueryString().orElse("")
          + "\n" + request.entity().getContentType() + "\n").getBytes(StandardCharsets.UTF_8));
      if (request.entity() instanceof HttpEntity.Strict strict) {
        digest.update(strict.getData().toArray());
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JVM", e);
    }
  }
}
