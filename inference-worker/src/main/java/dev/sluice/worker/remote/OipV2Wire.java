package dev.sluice.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.Task;
import dev.sluice.avro.Tensor;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import dev.sluice.worker.model.ModelRunException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The Open Inference Protocol v2 ({@code POST /v2/models/{name}/infer}), as KServe, Triton, Seldon
 * MLServer and the Sluice gateway serve it. One input tensor per call, the batch stacked along its
 * first dimension: texts as {@code BYTES} of shape [N]; tabular rows as {@code FP32} [N, features]
 * in the deployment's feature order; tensors as {@code FP32}, concatenated along their first
 * dimension when the deployment's {@code tensor_shape} starts with -1 (the model's batch
 * dimension), else one tensor per call. The output read is {@code output_name}, or the first FP32
 * output: its first dimension counts the batch's rows. A classifier's scores pair with a BYTES
 * output of the same shape when the server sends one (the Sluice gateway's {@code labels}), else
 * with the deployment's labels in order.
 */
final class OipV2Wire implements WireFormat {
  private final String path;
  private final Task task;
  private final String inputName;
  private final String outputName;
  private final List<String> labels;
  private final List<String> featureNames;
  private final boolean tensorsBatch;

  /**
   * @param remoteModel the model's name on the server
   * @param remoteVersion the model's version on the server, or null for the server's choice
   * @param task what the model does
   * @param inputName the input tensor's name, or null for {@code text} (texts) or {@code input}
   * @param outputName the output tensor to read, or null for the first FP32 one
   * @param labels the deployment's class labels
   * @param featureNames the deployment's tabular features, in the model's order
   * @param tensorsBatch whether tensors may be concatenated along their first dimension
   */
  OipV2Wire(String remoteModel, String remoteVersion, Task task, String inputName, String outputName, List<String> labels, List<String> featureNames,
      boolean tensorsBatch) {
    this.path = "/v2/models/" + segment(remoteModel) + (remoteVersion == null ? "" : "/versions/" + segment(remoteVersion)) + "/infer";
    this.task = task;
    this.inputName = inputName != null ? inputName : task == Task.TENSOR ? "input" : "text";
    this.outputName = outputName;
    this.labels = List.copyOf(labels);
    this.featureNames = List.copyOf(featureNames);
    this.tensorsBatch = tensorsBatch;
  }

  private static String segment(String name) {
    return URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public int maxInputsPerCall(List<Object> inputs) {
    return !tensorsBatch && !inputs.isEmpty() && inputs.get(0) instanceof TensorInput ? 1 : Integer.MAX_VALUE;
  }

  @Override
  public JsonNode request(List<Object> inputs) throws ModelRunException {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode input = body.putArray("inputs").addObject();
    input.put("name", inputName);
    ArrayNode shape = input.putArray("shape");
    ArrayNode data;
    Object first = inputs.get(0);
    if (first instanceof TextInput) {
      input.put("datatype", "BYTES");
      shape.add(inputs.size());
      data = input.putArray("data");
      for (int i = 0; i < inputs.size(); i++) {
        data.add(as(TextInput.class, inputs, i).getText());
      }
    } else if (first instanceof TabularInput) {
      if (featureNames.isEmpty()) {
        throw new ModelRunException("the deployment declares no feature_names (limits.feature_names or feature_stats) to order tabular features by",
            null);
      }
      input.put("datatype", "FP32");
      shape.add(inputs.size()).add(featureNames.size());
      data = input.putArray("data");
      for (int i = 0; i < inputs.size(); i++) {
        TabularInput row = as(TabularInput.class, inputs, i);
        for (String feature : featureNames) {
          Double value = row.getFeatures().get(feature);
          if (value == null) {
            throw new ModelRunException("input " + i + " has no value for feature " + feature, null);
          }
          data.add(value.floatValue());
        }
      }
    } else {
      input.put("datatype", "FP32");
      TensorInput head = as(TensorInput.class, inputs, 0);
      int rows = 0;
      for (int i = 0; i < inputs.size(); i++) {
        TensorInput tensor = as(TensorInput.class, inputs, i);
        if (!tensor.getShape().subList(1, tensor.getShape().size()).equals(head.getShape().subList(1, head.getShape().size()))
            || tensor.getShape().size() != head.getShape().size()) {
          throw new ModelRunException("input " + i + " has shape " + tensor.getShape() + ", which does not stack with " + head.getShape(), null);
        }
        rows += inputs.size() == 1 ? 0 : tensor.getShape().get(0);
      }
      if (inputs.size() == 1) {
        head.getShape().forEach(shape::add);
      } else {
        shape.add(rows);
        head.getShape().subList(1, head.getShape().size()).forEach(shape::add);
      }
      data = input.putArray("data");
      for (Object each : inputs) {
        ((TensorInput) each).getValues().forEach(data::add);
      }
    }
    if (outputName != null) {
      body.putArray("outputs").addObject().put("name", outputName);
    }
    return body;
  }

  @Override
  public Answer answer(JsonNode body, List<Object> inputs) throws EndpointFailure {
    JsonNode outputs = body.path("outputs");
    if (!outputs.isArray() || outputs.isEmpty()) {
      throw bad("no outputs");
    }
    JsonNode output = null;
    JsonNode names = null;
    for (JsonNode candidate : outputs) {
      if (outputName != null ? outputName.equals(candidate.path("name").asText()) : output == null && "FP32".equals(candidate.path("datatype").asText())) {
        output = candidate;
      } else if ("BYTES".equals(candidate.path("datatype").asText())) {
        names = candidate;
      }
    }
    if (output == null) {
      throw bad(outputName != null ? "no output named " + outputName : "no FP32 output");
    }
    List<Integer> shape = new ArrayList<>();
    output.path("shape").forEach(dim -> shape.add(dim.asInt()));
    JsonNode data = output.path("data");
    long product = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
    if (shape.isEmpty() || !data.isArray() || data.size() != product) {
      throw bad("output " + output.path("name").asText() + " has shape " + shape + " and " + (data.isArray() ? data.size() : "no") + " values");
    }
    float[] values = new float[data.size()];
    for (int i = 0; i < values.length; i++) {
      if (!data.get(i).isNumber()) {
        throw bad("output " + output.path("name").asText() + " holds a " + data.get(i).getNodeType() + " value");
      }
      values[i] = data.get(i).floatValue();
    }
    return new Answer(rows(inputs, shape, values, names), -1);
  }

  /** The outputs, one per input, cut from the output tensor. */
  private List<Object> rows(List<Object> inputs, List<Integer> shape, float[] values, JsonNode names) throws EndpointFailure {
    List<Object> out = new ArrayList<>(inputs.size());
    if (task == Task.TENSOR && inputs.size() == 1 && inputs.get(0) instanceof TensorInput) {
      out.add(tensor(shape, values, 0, values.length));
      return out;
    }
    int totalRows = shape.get(0);
    int expectedRows = 0;
    for (Object input : inputs) {
      expectedRows += input instanceof TensorInput tensor ? tensor.getShape().get(0) : 1;
    }
    if (totalRows != expectedRows) {
      throw bad("output has " + totalRows + " rows for " + expectedRows + " input rows");
    }
    int perRow = totalRows == 0 ? 0 : values.length / totalRows;
    List<Integer> rowShape = shape.subList(1, shape.size());
    int offset = 0;
    for (int i = 0; i < inputs.size(); i++) {
      int rows = inputs.get(i) instanceof TensorInput tensor ? tensor.getShape().get(0) : 1;
      int from = offset * perRow;
      int to = (offset + rows) * perRow;
      if (task == Task.TEXT_EMBEDDING) {
        List<Float> vector = new ArrayList<>(to - from);
        for (int v = from; v < to; v++) {
          vector.add(values[v]);
        }
        out.add(new Embedding(vector));
      } else if (task == Task.TEXT_CLASSIFICATION) {
        out.add(scores(values, from, to, names, offset * perRow));
      } else if (inputs.get(i) instanceof TensorInput) {
        List<Integer> outShape = new ArrayList<>();
        outShape.add(rows);
        outShape.addAll(rowShape);
        out.add(tensor(outShape, values, from, to));
      } else {
        List<Integer> outShape = new ArrayList<>();
        outShape.add(1);
        outShape.addAll(rowShape);
        out.add(tensor(outShape, values, from, to));
      }
      offset += rows;
    }
    return out;
  }

  private ClassScores scores(float[] values, int from, int to, JsonNode names, int namesFrom) throws EndpointFailure {
    List<ClassScore> scores = new ArrayList<>(to - from);
    JsonNode nameData = names == null ? null : names.path("data");
    boolean named = nameData != null && nameData.isArray() && nameData.size() == values.length;
    if (!named && labels.size() != to - from) {
      throw bad("a classifier's row has " + (to - from) + " scores, the deployment " + labels.size() + " labels, and no BYTES output names them");
    }
    for (int v = from; v < to; v++) {
      String label = named ? nameData.get(namesFrom + v - from).asText() : labels.get(v - from);
      scores.add(new ClassScore(label, values[v]));
    }
    scores.sort(Comparator.comparing(ClassScore::getScore).reversed());
    return new ClassScores(scores);
  }

  private static Tensor tensor(List<Integer> shape, float[] values, int from, int to) {
    List<Float> part = new ArrayList<>(to - from);
    for (int v = from; v < to; v++) {
      part.add(values[v]);
    }
    return new Tensor(List.copyOf(shape), part);
  }

  @Override
  public String errorMessage(JsonNode body) {
    JsonNode error = body.path("error");
    return error.isTextual() ? error.asText() : error.path("message").isTextual() ? error.path("message").asText() : null;
  }

  private static <T> T as(Class<T> type, List<Object> inputs, int i) throws ModelRunException {
    Object input = inputs.get(i);
    if (!type.isInstance(input)) {
      throw new ModelRunException("input " + i + " is a " + input.getClass().getSimpleName() + " among " + type.getSimpleName() + "s", null);
    }
    return type.cast(input);
  }

  private static EndpointFailure bad(String what) {
    return new EndpointFailure(EndpointFailure.Kind.UNAVAILABLE, "not an Open Inference Protocol answer: " + what, null);
  }
}
