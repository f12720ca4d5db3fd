package io.layercake.http.errors;

import static org.assertj.core.api.Assertions.assertThat;

import io.layercake.http.server.Json;
import io.layercake.http.testing.HttpTestClient;
import io.layercake.http.testing.HttpTestClient.Response;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshallers.jackson.Jackson;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every failure of every route answers in the JSON error format with a fitting 4xx, or a bare 500. */
class ErrorHandlingTest extends AllDirectives {
  private static final long MAX_BYTES = 1024;
  private static ActorTestKit testKit;
  private static HttpTestClient client;

  record Greeting(String name) {}

  @BeforeAll
  static void bind() throws Exception {
    testKit = ActorTestKit.create();
    Route inner = new ErrorHandlingTest().testRoutes();
    ServerBinding binding = Http.get(testKit.system())
        .newServerAt("127.0.0.1", 0)
        .bind(new ErrorHandling(MAX_BYTES).wrap(() -> inner))
        .toCompletableFuture().get();
    client = HttpTestClient.to(binding.localAddress());
  }

  @AfterAll
  static void stop() {
    testKit.shutdownTestKit();
  }

  private Route testRoutes() {
    return concat(
        path("echo", () -> post(() -> entity(Unmarshaller.entityToString(), body -> complete(body)))),
        path("greet", () -> post(() -> entity(Jackson.unmarshaller(Json.MAPPER, Greeting.class),
            greeting -> complete("hello " + greeting.name())))),
        path("boom", () -> get(() -> {
          throw new IllegalStateException("secret internals");
        })));
  }

  @Test
  void unknownPathIsA404InJson() {
    Response response = client.get("/nowhere");

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(response.errorCode()).isEqualTo("not_found");
    assertThat(response.json().path("error").path("message").asText()).isNotBlank();
  }

  @Test
  void wrongMethodIsA405InJson() {
    Response response = client.get("/echo");

    assertThat(response.status()).isEqualTo(405);
    assertThat(response.errorCode()).isEqualTo("method_not_allowed");
  }

  @Test
  void oversizedBodyIsA413InJson() {
    Response response = client.post("/echo", "x".repeat((int) MAX_BYTES * 2));

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.errorCode()).isEqualTo("payload_too_large");
    assertThat(response.json().path("error").path("message").asText()).contains("1 KB");
    assertNoInternals(response);
    assertThat(client.post("/echo", "small").body()).isEqualTo("small");
  }

  @Test
  void oversizedJsonIsA413StatingTheLimit() {
    Response response = client.post("/greet", "{\"name\": \"" + "x".repeat((int) MAX_BYTES * 2) + "\"}");

    assertThat(response.status()).isEqualTo(413);
    assertThat(response.errorCode()).isEqualTo("payload_too_large");
    assertThat(response.json().path("error").path("message").asText()).contains("1 KB");
    assertNoInternals(response);
  }

  @Test
  void malformedJsonIsA400InJson() {
    Response response = client.post("/greet", "{\"name\": ");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.errorCode()).isEqualTo("bad_request");
    assertThat(response.json().path("error").path("message").asText()).contains("not valid JSON");
    assertNoInternals(response);
  }

  @Test
  void jsonOfTheWrongShapeIsA400NamingTheField() {
    Response wrongType = client.post("/greet", "{\"name\": [1, 2]}");
    Response notAnObject = client.post("/greet", "[\"Ada\"]");
    Response empty = client.post("/greet", "");

    assertThat(wrongType.status()).isEqualTo(400);
    assertThat(wrongType.errorCode()).isEqualTo("bad_request");
    assertThat(wrongType.json().path("error").path("message").asText()).contains("'name'").contains("text");
    assertThat(notAnObject.status()).isEqualTo(400);
    assertThat(empty.status()).isEqualTo(400);
    Stream.of(wrongType, notAnObject, empty).forEach(ErrorHandlingTest::assertNoInternals);
  }

  @Test
  void unknownJsonFieldsAreRefused() {
    Response response = client.post("/greet", "{\"name\": \"Ada\", \"admin\": true}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.errorCode()).isEqualTo("bad_request");
    assertThat(response.json().path("error").path("message").asText()).contains("'admin'");
    assertNoInternals(response);
  }

  @Test
  void aBugIsA500WithoutInternals() {
    Response response = client.get("/boom");

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.errorCode()).isEqualTo("internal_error");
    assertThat(response.body()).doesNotContain("secret internals");
  }

  /** What a client reads is about its request, never about the classes that read it. */
  static void assertNoInternals(Response response) {
    assertThat(response.contentType()).isEqualTo("application/json");
    assertThat(response.json().path("error").path("message").asText()).isNotBlank();
    assertThat(response.body()).doesNotContainIgnoringCase("pekko").doesNotContain("Exception")
        .doesNotContainIgnoringCase("unmarshal").doesNotContain("Body").doesNotContain("Greeting")
        .doesNotContain("io.layercake").doesNotContain("max-content-length");
  }
}
