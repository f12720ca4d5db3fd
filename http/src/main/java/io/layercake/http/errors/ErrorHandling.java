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
import org.apache.pekko.http.javadsl.server.MalformedRequestContentRejection;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.server.ValidationRejection;
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
  private final ExceptionHandler exceptions = exceptionHandler();
  private final RejectionHandler rejections = rejectionHandler();

  public ErrorHandling(long maxRequestBytes) {
    this.maxRequestBytes = maxRequestBytes;
  }

  public Route wrap(Supplier<Route> inner) {
    Route answering = inner.get();
    Route limited = withSizeLimit(maxRequestBytes, () -> answering);
    return handled(() -> limited);
  }

  /** Answers what {@code inner} rejects or throws, without the size limit {@link #wrap} adds. */
  public Route handled(Supplier<Route> inner) {
    // Built here, once: a directive calls its inner supplier again for every request it sees.
    Route answering = inner.get();
    Route rejectionsAnswered = handleRejections(rejections, () -> answering);
    return handleExceptions(exceptions, () -> rejectionsAnswered);
  }

  public static HttpResponse response(StatusCode status, String code, String message) {
    return HttpResponse.create()
        .withStatus(status)
        .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, Json.write(ApiError.of(code, message))));
  }

  /**
   * A body that could not be read is answered in the sender's terms (what and where, the limit in
   * KB or MB); the default handler would quote the exception, the target class and Pekko settings.
   */
  private RejectionHandler rejectionHandler() {
    return RejectionHandler.newBuilder()
        .handle(MalformedRequestContentRejection.class, rejection -> unreadable(rejection.getCause(),
            "The request body could not be read."))
        .handle(ValidationRejection.class, rejection -> unreadable(rejection.getCause().orElse(null),
            rejection.getCause().isPresent() ? "The request body could not be read." : rejection.message()))
        .build()
        .withFallback(RejectionHandler.defaultHandler())
        .mapRejectionResponse(ErrorHandling::asJsonError);
  }

  private Route unreadable(Throwable cause, String otherwise) {
    return complete(RequestBodyErrors.of(cause)
        .map(problem -> response(StatusCodes.get(problem.status()), problem.code(), problem.message()))
        .orElseGet(() -> response(StatusCodes.BAD_REQUEST, "bad_request", otherwise)));
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
            StatusCodes.PAYLOAD_TOO_LARGE, "payload_too_large", RequestBodyErrors.tooLarge(e.limit()).message())))
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
