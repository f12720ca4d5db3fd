package io.layercake.http.api;

import io.layercake.http.server.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.StatusCodes;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** Cheap polling: a strong ETag over the JSON body; {@code If-None-Match} with it answers 304 without a body. */
final class ETags extends AllDirectives {
  Route completeWithETag(Object body) {
    String json = Json.write(body);
    String etag = "\"" + sha256(json) + "\"";
    return optionalHeaderValueByName("If-None-Match", presented -> {
      if (presented.map(value -> List.of(value.split(",")).stream().map(String::strip).anyMatch(etag::equals)).orElse(false)) {
        return complete(HttpResponse.create().withStatus(StatusCodes.NOT_MODIFIED).addHeader(RawHeader.create("ETag", etag)));
      }
      return complete(HttpResponse.create().withStatus(StatusCodes.OK).addHeader(RawHeader.create("ETag", etag))
          .withEntity(HttpEntities.create(ContentTypes.APPLICATION_JSON, json)));
    });
  }

  private static String sha256(String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)), 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
