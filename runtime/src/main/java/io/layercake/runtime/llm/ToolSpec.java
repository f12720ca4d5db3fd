package io.layercake.runtime.llm;

import io.layercake.runtime.tools.Tool;
import java.util.List;

/** A tool as the model is told about it: name, what it does, its string arguments. */
public record ToolSpec(String name, String description, List<Tool.Parameter> parameters) {
  public ToolSpec {
    parameters = List.copyOf(parameters);
  }

  /** The customer-facing tools an agent enabled, in its order. */
  public static List<ToolSpec> enabled(List<String> toolNames) {
    return toolNames.stream()
        .flatMap(name -> Tool.named(name).stream())
        .map(tool -> new ToolSpec(tool.toolName(), tool.description(), tool.parameters()))
        .toList();
  }
}
