package dev.sluice.systemtests.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks a custom resource against the {@code openAPIV3Schema} of its CustomResourceDefinition
 * version, as far as the API server does for a structural schema: types, {@code required},
 * {@code enum}, {@code minimum}/{@code maximum}, and no field the schema does not declare (which the
 * server would prune or, with strict field validation, refuse) unless
 * {@code x-kubernetes-preserve-unknown-fields}. {@code metadata} is the API server's, not checked
 * here; CEL rules ({@code x-kubernetes-validations}) are not evaluated.
 */
final class StructuralSchema {
  private StructuralSchema() {}

  /** Every violation, as {@code path: problem}; empty when the value conforms. */
  static List<String> violations(JsonNode schema, JsonNode value) {
    List<String> problems = new ArrayList<>();
    check(schema, value, "", problems);
    return problems;
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> problems) {
    String type = schema.path("type").asText();
    if (!type.isEmpty() && !hasType(value, type)) {
      problems.add(path + ": " + value.getNodeType() + " where the schema wants " + type);
      return;
    }
    if (schema.has("enum") && !contains(schema.get("enum"), value)) {
      problems.add(path + ": " + value + " is not one of " + schema.get("enum"));
    }
    if (schema.has("minimum") && value.isNumber() && value.asDouble() < schema.get("minimum").asDouble()) {
      problems.add(path + ": " + value + " is below the minimum " + schema.get("minimum"));
    }
    if (schema.has("maximum") && value.isNumber() && value.asDouble() > schema.get("maximum").asDouble()) {
      problems.add(path + ": " + value + " is above the maximum " + schema.get("maximum"));
    }
    if (value.isArray() && schema.has("items")) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), path + "[" + i + "]", problems);
      }
    }
    if (value.isObject()) {
      checkObject(schema, value, path, problems);
    }
  }

  private static void checkObject(JsonNode schema, JsonNode value, String path, List<String> problems) {
    schema.path("required").forEach(required -> {
      if (!value.has(required.asText())) {
        problems.add(path + ": " + required.asText() + " is required");
      }
    });
    boolean open = schema.path("x-kubernetes-preserve-unknown-fields").asBoolean();
    JsonNode properties = schema.path("properties");
    JsonNode additional = schema.path("additionalProperties");
    value.properties().forEach(field -> {
      String at = path + "." + field.getKey();
      if (properties.has(field.getKey())) {
        if (!(path.isEmpty() && field.getKey().equals("metadata"))) {
          check(properties.get(field.getKey()), field.getValue(), at, problems);
        }
      } else if (additional.isObject()) {
        check(additional, field.getValue(), at, problems);
      } else if (!open) {
        problems.add(at + ": not a field of the schema");
      }
    });
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "object" -> value.isObject();
      case "array" -> value.isArray();
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber();
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      default -> throw new IllegalArgumentException("unknown schema type " + type);
    };
  }

  private static boolean contains(JsonNode values, JsonNode value) {
    for (JsonNode candidate : values) {
      if (candidate.equals(value)) {
        return true;
      }
    }
    return false;
  }
}
