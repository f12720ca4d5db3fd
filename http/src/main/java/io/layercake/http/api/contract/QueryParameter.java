package io.layercake.http.api.contract;

import java.util.List;

/** A query parameter of an operation: its JSON-schema type (and format), what it means, its allowed values. */
public record QueryParameter(String name, String type, String format, boolean required, String description, List<String> values) {
  public static QueryParameter text(String name, String description) {
    return new QueryParameter(name, "string", null, false, description, List.of());
  }

  public static QueryParameter required(String name, String description) {
    return new QueryParameter(name, "string", null, true, description, List.of());
  }

  public static QueryParameter number(String name, String description) {
    return new QueryParameter(name, "integer", null, false, description, List.of());
  }

  public static QueryParameter instant(String name, String description) {
    return new QueryParameter(name, "string", "date-time", false, description, List.of());
  }

  public static QueryParameter oneOf(String name, String description, String... values) {
    return new QueryParameter(name, "string", null, false, description, List.of(values));
  }
}
