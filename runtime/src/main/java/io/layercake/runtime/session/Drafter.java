package io.layercake.runtime.session;

import io.layercake.runtime.serialization.JsonSerializable;
import java.util.List;

/** The model that wrote a draft, its token usage and the knowledge documents its prompt carried. */
public record Drafter(String provider, String model, long inputTokens, long outputTokens, List<String> documentIds)
    implements JsonSerializable {
  public Drafter {
    documentIds = documentIds == null ? List.of() : List.copyOf(documentIds);
  }
}
