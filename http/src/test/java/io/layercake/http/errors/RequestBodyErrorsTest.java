package io.layercake.http.errors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.layercake.http.server.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a body that could not be read is worded: sizes as people write them, fields by their JSON path. */
class RequestBodyErrorsTest {
  record Item(String question, int count) {}

  record Holder(List<Item> faq) {}

  @Test
  void sizesAreWrittenAsPeopleWriteThem() {
    assertThat(RequestBodyErrors.humanSize(500)).isEqualTo("500 bytes");
    assertThat(RequestBodyErrors.humanSize(1024)).isEqualTo("1 KB");
    assertThat(RequestBodyErrors.humanSize(1536)).isEqualTo("1.5 KB");
    assertThat(RequestBodyErrors.humanSize(1024 * 1024)).isEqualTo("1 MB");
    assertThat(RequestBodyErrors.humanSize(10L * 1024 * 1024)).isEqualTo("10 MB");
  }

  @Test
  void aNestedFieldOfTheWrongTypeIsNamedByItsPath() {
    JsonProcessingException failure = failureReading("{\"faq\": [{\"question\": \"hi\", \"count\": \"many\"}]}");

    RequestBodyErrors.Problem problem = RequestBodyErrors.of(new IllegalArgumentException("wrapped", failure)).orElseThrow();

    assertThat(problem.status()).isEqualTo(400);
    assertThat(problem.message()).isEqualTo("Field 'faq[0].count' must be a whole number.");
  }

  @Test
  void aFailureThatIsNotAboutTheBodyIsNotWorded() {
    assertThat(RequestBodyErrors.of(new IllegalStateException("something else"))).isEmpty();
    assertThat(RequestBodyErrors.of(null)).isEmpty();
  }

  private static JsonProcessingException failureReading(String json) {
    try {
      Json.MAPPER.readValue(json, Holder.class);
      throw new AssertionError("expected a failure reading " + json);
    } catch (JsonProcessingException e) {
      return e;
    }
  }
}
