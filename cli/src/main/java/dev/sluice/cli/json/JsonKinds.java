package dev.sluice.cli.json;

import com.fasterxml.jackson.databind.JsonNode;

/** Names JSON values in error messages. */
final class JsonKinds {
  private static final int SHOWN = 40;

  private JsonKinds() {}

  /** The JSON type of a value: string, number, object, ... */
  static String of(JsonNode node) {
    if (node.isTextual()) {
      return "a string";
    }
    if (node.isNumber()) {
      return "a number";
    }
    if (node.isBoolean()) {
      return "a boolean";
    }
    if (node.isArray()) {
      return "an array";
    }
    if (node.isObject()) {
      return "an object";
    }
    return "null";
  }

  /** The value itself when short, else its type. */
  static String describe(JsonNode node) {
    String text = node.toString();
    return text.length() <= SHOWN ? text : of(node);
  }
}
