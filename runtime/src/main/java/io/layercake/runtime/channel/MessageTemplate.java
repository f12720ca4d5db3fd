package io.layercake.runtime.channel;

import io.layercake.runtime.serialization.JsonSerializable;
import java.util.List;

/**
 * A pre-approved message (a WhatsApp template): the only kind a business may send once the
 * customer's 24-hour window has closed. {@code parameters} fill the body's placeholders in order;
 * {@code parameterNames} name them when the template's are named.
 */
public record MessageTemplate(String name, String language, List<String> parameters, List<String> parameterNames)
    implements JsonSerializable {
  public MessageTemplate {
    parameters = parameters == null ? List.of() : List.copyOf(parameters);
    parameterNames = parameterNames == null ? List.of() : List.copyOf(parameterNames);
  }

  /** A template whose body takes its values in order ({@code {{1}}}, {@code {{2}}}…). */
  public MessageTemplate(String name, String language, List<String> parameters) {
    this(name, language, parameters, List.of());
  }

  /**
   * The name each value goes by in a template with named parameters ({@code {{first_name}}}); empty
   * for positional ones, whose values go in order.
   */
  public List<String> namedParameters() {
    return parameterNames.size() == parameters.size() && parameterNames.stream().noneMatch(name -> name.matches("\\d+"))
        ? parameterNames : List.of();
  }

  /** What is wrong with the template, or null. */
  public String problem() {
    if (name == null || !name.matches("[a-z0-9_]{1,512}")) {
      return "template name must be lowercase letters, digits and underscores";
    }
    if (language == null || !language.matches("[a-z]{2,3}(_[A-Z]{2})?")) {
      return "template language must be a code such as en or en_US";
    }
    if (parameters.size() > 20 || parameters.stream().anyMatch(p -> p == null || p.isEmpty() || p.length() > 1024)) {
      return "at most 20 template parameters of 1 to 1024 characters";
    }
    return null;
  }

  /** How the template reads in the conversation's history. */
  public String describe() {
    return "[template " + name + " (" + language + ")" + (parameters.isEmpty() ? "" : ": " + String.join(", ", parameters)) + "]";
  }
}
