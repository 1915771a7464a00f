package dev.sluice.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of the fields of one JSON object, collecting what is wrong instead of stopping at
 * the first problem. A field that is absent or JSON {@code null} reads as null.
 */
final class JsonFields {
  private final JsonNode object;
  private final String where;
  private final List<String> problems;

  /**
   * @param object the JSON object
   * @param where prefix of field names in messages, e.g. {@code "tensor."}; empty at the top
   * @param problems where problems are added
   */
  JsonFields(JsonNode object, String where, List<String> problems) {
    this.object = object;
    this.where = where;
    this.problems = problems;
  }

  /** Adds a problem for each field not in the known list. */
  void rejectUnknown(List<String> known) {
    for (Map.Entry<String, JsonNode> field : object.properties()) {
      String name = field.getKey();
      if (!known.contains(name)) {
        problems.add("unknown field '" + where + name + "' (known: " + String.join(", ", known) + ")");
      }
    }
  }

  /** Whether the field is given and not null. */
  boolean has(String name) {
    JsonNode node = object.get(name);
    return node != null && !node.isNull();
  }

  /** The field's node, or null when absent or null. */
  JsonNode node(String name) {
    return has(name) ? object.get(name) : null;
  }

  /** A string field, or null when absent. */
  String string(String name) {
    JsonNode node = node(name);
    if (node == null) {
      return null;
    }
    if (!node.isTextual()) {
      problems.add(name(name) + " must be a string, got " + JsonKinds.of(node));
      return null;
    }
    return node.textValue();
  }

  /** A string field that, when given, is not blank. */
  String nonBlankString(String name) {
    String value = string(name);
    if (value != null && value.isBlank()) {
      problems.add(name(name) + " must not be blank");
      return null;
    }
    return value;
  }

  /** A required non-blank string field. */
  String requiredString(String name) {
    if (!has(name)) {
      problems.add(name(name) + " is required");
      return null;
    }
    return nonBlankString(name);
  }

  /** An instant given as an ISO-8601 string (with Z or an offset) or as epoch milliseconds. */
  Instant instant(String name) {
    JsonNode node = node(name);
    if (node == null) {
      return null;
    }
    if (node.isIntegralNumber() && node.canConvertToLong()) {
      return Instant.ofEpochMilli(node.longValue());
    }
    if (node.isTextual()) {
      try {
        return OffsetDateTime.parse(node.textValue()).toInstant();
      } catch (DateTimeParseException e) {
        // reported below, with the expected shapes
      }
    }
    problems.add(name(name) + " must be an ISO-8601 instant such as 2030-01-01T12:00:00Z or epoch milliseconds, got "
        + JsonKinds.describe(node));
    return null;
  }

  /** An object of string values, in the order given; empty when absent. */
  Map<String, String> stringMap(String name) {
    Map<String, String> values = new LinkedHashMap<>();
    JsonNode node = node(name);
    if (node == null) {
      return values;
    }
    if (!node.isObject()) {
      problems.add(name(name) + " must be an object of strings, got " + JsonKinds.of(node));
      return values;
    }
    for (Map.Entry<String, JsonNode> entry : node.properties()) {
      if (entry.getValue().isTextual()) {
        values.put(entry.getKey(), entry.getValue().textValue());
      } else {
        problems.add(name(name) + " value '" + entry.getKey() + "' must be a string, got " + JsonKinds.of(entry.getValue()));
      }
    }
    return values;
  }

  /** Records a problem with a field. */
  void problem(String name, String what) {
    problems.add(name(name) + " " + what);
  }

  private String name(String name) {
    return "field '" + where + name + "'";
  }
}
