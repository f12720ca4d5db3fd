package io.layercake.runtime.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The published JSON Schema of {@code agent-config.json} ({@code GET /schemas/agent-config.json}):
 * the import checks a bundle against it, and setup mode checks the file it writes.
 */
public final class AgentBundleSchema {
  private static final String RESOURCE = "schemas/agent-config.schema.json";
  private static final AgentBundleSchema BUNDLED = new AgentBundleSchema(read());

  private final String text;
  private final JsonSchema schema;

  private AgentBundleSchema(String text) {
    this.text = text;
    this.schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(text);
  }

  public static AgentBundleSchema bundled() {
    return BUNDLED;
  }

  public String text() {
    return text;
  }

  /** What does not match, one sentence each, sorted; empty when the bundle is valid. */
  public List<String> problems(JsonNode bundle) {
    return schema.validate(bundle).stream().map(ValidationMessage::getMessage).sorted().toList();
  }

  private static String read() {
    try (InputStream in = AgentBundleSchema.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the build");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
