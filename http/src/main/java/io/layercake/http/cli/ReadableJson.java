package io.layercake.http.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Map;

/** JSON printed for people: one {@code name: value} per line, nested values indented, list items with {@code -}. */
final class ReadableJson {
  private static final String INDENT = "  ";

  private ReadableJson() {}

  static void print(JsonNode node, PrintWriter out) {
    print(node, "", out);
  }

  private static void print(JsonNode node, String indent, PrintWriter out) {
    if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
        Map.Entry<String, JsonNode> field = fields.next();
        line(indent + field.getKey() + ":", field.getValue(), indent, out);
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        line(indent + "-", item, indent, out);
      }
    } else {
      out.println(indent + scalar(node));
    }
  }

  private static void line(String label, JsonNode value, String indent, PrintWriter out) {
    if (value.isContainerNode() && !value.isEmpty()) {
      out.println(label);
      print(value, indent + INDENT, out);
    } else {
      out.println(label + " " + (value.isContainerNode() ? (value.isArray() ? "(none)" : "{}") : scalar(value)));
    }
  }

  private static String scalar(JsonNode value) {
    return value.isNull() ? "-" : value.asText();
  }
}
