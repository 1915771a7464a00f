package dev.sluice.cli.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model input of a request line: exactly one of {@code text} (a string), {@code tensor}
 * ({@code {"shape": [ints], "values": [numbers]}}, the shape defaulting to {@code [values.length]})
 * or {@code features} ({@code {name: number or null}}).
 */
final class InputJson {
  static final List<String> INPUTS = List.of("text", "tensor", "features");
  private static final List<String> TENSOR_FIELDS = List.of("shape", "values");

  private InputJson() {}

  /** The input (a TextInput, TensorInput or TabularInput), or null with the problems recorded. */
  static Object read(JsonFields fields, List<String> problems) {
    List<String> given = INPUTS.stream().filter(fields::has).toList();
    if (given.isEmpty()) {
      problems.add("an input is required: one of 'text', 'tensor' or 'features'");
      return null;
    }
    if (given.size() > 1) {
      problems.add("exactly one input is allowed, got " + String.join(" and ", given));
      return null;
    }
    String kind = given.get(0);
    if (kind.equals("text")) {
      String text = fields.string("text");
      return text == null ? null : new TextInput(text);
    }
    return kind.equals("tensor") ? tensor(fields, problems) : features(fields, problems);
  }

  private static TensorInput tensor(JsonFields fields, List<String> problems) {
    JsonNode node = fields.node("tensor");
    if (!node.isObject()) {
      fields.problem("tensor", "must be an object {\"shape\": [ints], \"values\": [numbers]}, got " + JsonKinds.of(node));
      return null;
    }
    int before = problems.size();
    JsonFields tensor = new JsonFields(node, "tensor.", problems);
    tensor.rejectUnknown(TENSOR_FIELDS);
    List<Float> values = numbers(tensor);
    List<Integer> shape = tensor.has("shape") ? shape(tensor) : values == null ? null : List.of(values.size());
    return problems.size() > before || values == null || shape == null ? null : new TensorInput(shape, values);
  }

  private static List<Float> numbers(JsonFields tensor) {
    JsonNode node = tensor.node("values");
    if (node == null) {
      tensor.problem("values", "is required");
      return null;
    }
    if (!node.isArray()) {
      tensor.problem("values", "must be an array of numbers, got " + JsonKinds.of(node));
      return null;
    }
    List<Float> values = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode value = node.get(i);
      if (!value.isNumber()) {
        tensor.problem("values", "element " + i + " must be a number, got " + JsonKinds.describe(value));
        return null;
      }
      values.add(value.floatValue());
    }
    return values;
  }

  private static List<Integer> shape(JsonFields tensor) {
    JsonNode node = tensor.node("shape");
    if (!node.isArray()) {
      tensor.problem("shape", "must be an array of integers, got " + JsonKinds.of(node));
      return null;
    }
    List<Integer> shape = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode dimension = node.get(i);
      if (!dimension.isIntegralNumber() || !dimension.canConvertToInt()) {
        tensor.problem("shape", "element " + i + " must be an integer, got " + JsonKinds.describe(dimension));
        return null;
      }
      shape.add(dimension.intValue());
    }
    return shape;
  }

  private static TabularInput features(JsonFields fields, List<String> problems) {
    JsonNode node = fields.node("features");
    if (!node.isObject()) {
      fields.problem("features", "must be an object of numbers or nulls, got " + JsonKinds.of(node));
      return null;
    }
    int before = problems.size();
    Map<String, Double> features = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> feature : node.properties()) {
      JsonNode value = feature.getValue();
      if (value.isNull()) {
        features.put(feature.getKey(), null);
      } else if (value.isNumber()) {
        features.put(feature.getKey(), value.doubleValue());
      } else {
        fields.problem("features", "value '" + feature.getKey() + "' must be a number or null, got " + JsonKinds.describe(value));
      }
    }
    return problems.size() > before ? null : new TabularInput(features);
  }
}
