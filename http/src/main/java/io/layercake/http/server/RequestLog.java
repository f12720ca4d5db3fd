package io.layercake.http.server;

import java.util.UUID;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Gives every request an id and one log line. The id is the caller's {@code X-Request-Id} when it
 * is well formed, a new one otherwise; the answer carries it back, and it is in the MDC as
 * {@code requestId} for the access line and the errors logged while answering. Failures (5xx) log
 * at WARN, refusals (4xx) at INFO, the rest at DEBUG on {@code io.layercake.http.access}.
 */
public final class RequestLog extends AllDirectives {
  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "requestId";
  private static final Logger access = LoggerFactory.getLogger("io.layercake.http.access");
  private static final String WEBHOOKS = "/webhooks/";
  private static final Pattern WELL_FORMED = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  public Route logged(Supplier<Route> inner) {
    Route answering = inner.get(); // once: a directive calls its inner supplier for every request
    return extractRequest(request -> {
      long startedAt = System.nanoTime();
      String id = callerId(request).orElseGet(() -> UUID.randomUUID().toString());
      return mapRequest(tagged -> tagged.removeHeader(HEADER).addHeader(RawHeader.create(HEADER, id)), () ->
          respondWithHeader(RawHeader.create(HEADER, id), () ->
              mapResponse(response -> {
                logOutcome(id, request, response, (System.nanoTime() - startedAt) / 1_000_000);
                return response;
              }, () -> answering)));
    });
  }

  /** Runs {@code logging} with the request's id in the MDC. */
  public static void withRequestId(HttpRequest request, Runnable logging) {
    String id = request.getHeader(HEADER).map(header -> header.value()).orElse("");
    MDC.put(MDC_KEY, id);
    try {
      logging.run();
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  private static java.util.Optional<String> callerId(HttpRequest request) {
    return request.getHeader(HEADER).map(header -> header.value()).filter(value -> WELL_FORMED.matcher(value).matches());
  }

  /**
   * The path as logged. Provider webhook paths may carry a secret between the provider's name and
   * the last segment ({@code /webhooks/infobip/{token}/sms}); those segments are masked. Query
   * strings (WhatsApp's verify token) are never logged.
   */
  static String loggable(String path) {
    if (!path.startsWith(WEBHOOKS)) {
      return path;
    }
    String[] segments = path.substring(WEBHOOKS.length()).split("/", -1);
    StringBuilder masked = new StringBuilder(WEBHOOKS).append(segments[0]);
    for (int i = 1; i < segments.length; i++) {
      masked.append('/').append(i == segments.length - 1 ? segments[i] : "***");
    }
    return masked.toString();
  }

  private static void logOutcome(String id, HttpRequest request, HttpResponse response, long millis) {
    int status = response.status().intValue();
    MDC.put(MDC_KEY, id);
    try {
      String line = "{} {} -> {} in {} ms";
      Object[] arguments = {request.method().name(), loggable(request.getUri().path()), status, millis};
      if (status >= 500) {
        access.warn(line, arguments);
      } else if (status >= 400) {
        access.info(line, arguments);
      } else {
        access.debug(line, arguments);
      }
    } finally {
      MDC.remove(MDC_KEY);
    }
  }
}
