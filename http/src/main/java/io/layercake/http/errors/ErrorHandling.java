package io.layercake.http.errors;

import io.layercake.http.server.Json;
import io.layercake.http.server.RequestLog;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCode;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps every route so that rejections and failures answer in the JSON error format, bad input
 * is a 4xx, and only a bug is a 500 (logged, with no internals in the answer).
 */
public final class ErrorHandling extends AllDirectives {
  private static final Logger log = LoggerFactory.getLogger(ErrorHandling.class);

  private final long maxRequestBytes;

  public ErrorHandling(long maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  public Route wrap(Supplier<Route> inner) {
    return handleExceptions(exceptionHandler(), () ->
        handleRejections(rejectionHandler(), () ->
            withSizeLimit(maxRequestBytes, inner)));
  }

  public static HttpResponse response(StatusCode status, String code, String message) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(ApiError.of(code, message))));
  }

  private static RejectionHandler rejectionHandler() {
    return RejectionHandler.defaultHandler().mapRejectionResponse(ErrorHandling::asJsonError);
  }

  /** The default handler words its answers well; this keeps the words and puts them in the JSON envelope. */
  private static HttpResponse asJsonError(HttpResponse response) {
    if (response.entity() instanceof HttpEntity.Strict strict
        && !strict.getContentType().equals(ContentTypes.APPLICATION_JSON)) {
      String message = strict.getData().utf8String();
      return response.withEntity(
          HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(ApiError.of(ApiError.codeFor(response.status()), message))));
    }
    return response;
  }

  private ExceptionHandler exceptionHandler() {
    return ExceptionHandler.newBuilder()
        .match(EntityStreamSizeException.class, e -> complete(response(
            StatusCodes.PAYLOAD_TOO_LARGE, "payload_too_large",
            "The request body is larger than the " + maxRequestBytes + " bytes allowed.")))
        .match(IllegalRequestException.class, e -> complete(response(
            e.status(), ApiError.codeFor(e.status()), e.info().summary())))
        .match(java.util.concurrent.TimeoutException.class, e -> extractRequest(request -> {
          RequestLog.withRequestId(request, () -> log.warn("A request timed out waiting for an entity: {}", e.getMessage()));
          return complete(response(StatusCodes.SERVICE_UNAVAILABLE, "timeout", "The request took too long; it is safe to retry."));
        }))
        .matchAny(e -> extractRequest(request -> {
          RequestLog.withRequestId(request, () -> log.error("Unhandled error in a route", e));
          return complete(response(StatusCodes.INTERNAL_SERVER_ERROR, "internal_error", "Something went wrong on our side."));
        }))
        .build();
  }
}
