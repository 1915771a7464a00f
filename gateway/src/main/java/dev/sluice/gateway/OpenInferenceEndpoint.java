package dev.sluice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.avro.Tensor;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The Open Inference Protocol v2 (KServe, Triton, Seldon MLServer) over the pipeline: server and
 * model metadata, readiness, and {@code infer}. A text model takes one {@code BYTES} input whose
 * strings are the texts; a tensor model one {@code FP32} input whose first dimension is the batch
 * (a rank-1 input is one request). Each text or row is one request, answered together, in order.
 * Outputs: {@code embedding} (FP32, [N, dims]) for text embeddings; {@code labels} (BYTES) and
 * {@code scores} (FP32), both [N, labels] best first, for classifiers; {@code output} (FP32,
 * [N, ...]) for tensor models. Errors are the protocol's {@code {"error": "..."}}.
 */
final class OpenInferenceEndpoint {
  private static final ErrorShape ERRORS = ErrorShape.OPEN_INFERENCE;

  private final Pipeline pipeline;
  private final int maxInputs;

  OpenInferenceEndpoint(Pipeline pipeline, int maxInputs) {
    this.pipeline = pipeline;
    this.maxInputs = maxInputs;
  }

  /** {@code GET /v2}. */
  ApiResponse server() {
    ObjectNode body = ApiResponse.JSON.createObjectNode();
    body.put("name", "sluice");
    body.put("version", version());
    body.putArray("extensions");
    return ApiResponse.json(200, body);
  }

  /** {@code GET /v2/health/live} and {@code /ready}. */
  static ApiResponse health(String field, boolean ok) {
    ObjectNode body = ApiResponse.JSON.createObjectNode();
    body.put(field, ok);
    return ApiResponse.json(ok ? 200 : 503, body);
  }

  /** {@code GET /v2/models/{m}[/versions/{v}]}. */
  ApiResponse metadata(String model, String version) {
    Optional<ApiResponse> missing = missing(model, version);
    if (missing.isPresent()) {
      return missing.get();
    }
    List<ModelDeployment> versions = pipeline.versionsOf(model);
    ModelDeployment shown = version == null ? primary(versions) : pipeline.version(model, version).orElseThrow();
    ObjectNode body = ApiResponse.JSON.createObjectNode();
    body.put("name", model);
    ArrayNode names = body.putArray("versions");
    (version == null ? versions : List.of(shown)).forEach(d -> names.add(d.getVersion()));
    body.put("platform", "sluice_" + shown.getEngine().name().toLowerCase(java.util.Locale.ROOT));
    ArrayNode inputs = body.putArray("inputs");
    ArrayNode outputs = body.putArray("outputs");
    if (shown.getTask() == Task.TENSOR) {
      tensorMeta(inputs.addObject(), "input", "FP32");
      tensorMeta(outputs.addObject(), "output", "FP32");
    } else {
      tensorMeta(inputs.addObject(), "text", "BYTES");
      if (shown.getTask() == Task.TEXT_EMBEDDING) {
        tensorMeta(outputs.addObject(), "embedding", "FP32");
      } else {
        tensorMeta(outputs.addObject(), "labels", "BYTES");
        tensorMeta(outputs.addObject(), "scores", "FP32");
      }
    }
    return ApiResponse.json(200, body);
  }

  /** {@code GET /v2/models/{m}[/versions/{v}]/ready}. */
  ApiResponse ready(String model, String version) {
    Optional<ApiResponse> missing = missing(model, version);
    if (missing.isPresent()) {
      return missing.get();
    }
    ObjectNode body = ApiResponse.JSON.createObjectNode();
    body.put("name", model);
    body.put("ready", true);
    return ApiResponse.json(200, body);
  }

  /** {@code POST /v2/models/{m}[/versions/{v}]/infer}. */
  CompletableFuture<ApiResponse> infer(String model, String version, JsonNode body, CallOptions options) {
    Optional<ApiResponse> missing = missing(model, version);
    if (missing.isPresent()) {
      return done(missing.get());
    }
    if (body == null || !body.isObject()) {
      return done(ERRORS.badRequest(null, "the body must be a JSON object with inputs"));
    }
    JsonNode inputs = body.get("inputs");
    if (inputs == null || !inputs.isArray() || inputs.size() != 1) {
      return done(ERRORS.badRequest("inputs", "inputs must hold exactly one tensor (texts as BYTES, or a batch as FP32)"));
    }
    JsonNode input = inputs.get(0);
    Task task = (version == null ? primary(pipeline.versionsOf(model)) : pipeline.version(model, version).orElseThrow()).getTask();
    List<Object> items = new ArrayList<>();
    Optional<ApiResponse> problem = task == Task.TENSOR ? tensors(input, items) : texts(input, items);
    if (problem.isPresent()) {
      return done(problem.get());
    }
    if (items.size() > maxInputs) {
      return done(ERRORS.badRequest("inputs", "the batch has " + items.size() + " items; at most " + maxInputs + " per call"));
    }
    String id = body.path("id").isTextual() ? body.get("id").asText() : null;
    return Call.send(pipeline, model, version, items, Map.of(), options).thenApply(outcome -> respond(model, id, outcome).sent(outcome.requestIds()));
  }

  private Optional<ApiResponse> texts(JsonNode input, List<Object> texts) {
    if (!"BYTES".equals(input.path("datatype").asText())) {
      return Optional.of(ERRORS.badRequest("inputs[0].datatype", "a text model takes BYTES, was " + input.path("datatype").asText("none")));
    }
    List<JsonNode> flat = new ArrayList<>();
    flatten(input.get("data"), flat);
    for (JsonNode item : flat) {
      if (!item.isTextual()) {
        return Optional.of(ERRORS.badRequest("inputs[0].data", "BYTES data must be strings"));
      }
      texts.add(new TextInput(item.asText()));
    }
    return texts.isEmpty() ? Optional.of(ERRORS.badRequest("inputs[0].data", "no texts")) : checkShape(input, texts.size());
  }

  private Optional<ApiResponse> tensors(JsonNode input, List<Object> rows) {
    if (!"FP32".equals(input.path("datatype").asText())) {
      return Optional.of(ERRORS.badRequest("inputs[0].datatype", "a tensor model takes FP32, was " + input.path("datatype").asText("none")));
    }
    JsonNode shapeNode = input.get("shape");
    if (shapeNode == null || !shapeNode.isArray() || shapeNode.isEmpty()) {
      return Optional.of(ERRORS.badRequest("inputs[0].shape", "shape is required"));
    }
    List<Integer> shape = new ArrayList<>();
    for (JsonNode dim : shapeNode) {
      if (!dim.canConvertToInt() || dim.asInt() < 1) {
        return Optional.of(ERRORS.badRequest("inputs[0].shape", "every dimension must be a positive integer"));
      }
      shape.add(dim.asInt());
    }
    List<JsonNode> flat = new ArrayList<>();
    flatten(input.get("data"), flat);
    long expected = shape.stream().mapToLong(Integer::longValue).reduce(1, (a, b) -> a * b);
    if (flat.size() != expected) {
      return Optional.of(ERRORS.badRequest("inputs[0].data", "shape " + shape + " needs " + expected + " values, data has " + flat.size()));
    }
    int batch = shape.size() == 1 ? 1 : shape.get(0);
    List<Integer> rowShape = shape.size() == 1 ? shape : shape.subList(1, shape.size());
    int perRow = (int) (expected / batch);
    for (int r = 0; r < batch; r++) {
      List<Float> values = new ArrayList<>(perRow);
      for (int i = r * perRow; i < (r + 1) * perRow; i++) {
        JsonNode value = flat.get(i);
        if (!value.isNumber()) {
          return Optional.of(ERRORS.badRequest("inputs[0].data", "FP32 data must be numbers"));
        }
        values.add(value.floatValue());
      }
      rows.add(new TensorInput(List.copyOf(rowShape), values));
    }
    return Optional.empty();
  }

  private static Optional<ApiResponse> checkShape(JsonNode input, int items) {
    JsonNode shape = input.get("shape");
    if (shape != null && shape.isArray()) {
      long product = 1;
      for (JsonNode dim : shape) {
        product *= dim.asLong();
      }
      if (product != items) {
        return Optional.of(ERRORS.badRequest("inputs[0].shape", "shape " + shape + " does not match the " + items + " items in data"));
      }
    }
    return Optional.empty();
  }

  private static void flatten(JsonNode data, List<JsonNode> into) {
    if (data == null || data.isNull()) {
      return;
    }
    if (data.isArray()) {
      data.forEach(item -> flatten(item, into));
    } else {
      into.add(data);
    }
  }

  private ApiResponse respond(String model, String id, Call.Outcome outcome) {
    if (outcome.failed()) {
      return ERRORS.failure(outcome.failure(), "inputs[0][" + outcome.failedIndex() + "]");
    }
    List<InferenceResult> results = outcome.results();
    ObjectNode body = ApiResponse.JSON.createObjectNode();
    body.put("model_name", model);
    body.put("model_version", results.get(0).getModelVersion());
    if (id != null) {
      body.put("id", id);
    }
    ArrayNode outputs = body.putArray("outputs");
    Object first = results.get(0).getOutput();
    if (first instanceof Embedding) {
      rows(outputs.addObject(), "embedding", results, r -> ((Embedding) r).getVector(), List.of());
    } else if (first instanceof ClassScores) {
      ObjectNode labels = outputs.addObject();
      int k = ((ClassScores) first).getScores().size();
      labels.put("name", "labels");
      labels.put("datatype", "BYTES");
      labels.putArray("shape").add(results.size()).add(k);
      ArrayNode data = labels.putArray("data");
      results.forEach(r -> ((ClassScores) r.getOutput()).getScores().forEach(s -> data.add(s.getLabel())));
      rows(outputs.addObject(), "scores", results, r -> ((ClassScores) r).getScores().stream().map(s -> (float) s.getScore()).toList(), List.of());
    } else if (first instanceof Tensor tensor) {
      rows(outputs.addObject(), "output", results, r -> ((Tensor) r).getValues(), tensor.getShape());
    } else {
      return ERRORS.internal("model " + model + " answered without an output");
    }
    return ApiResponse.json(200, body);
  }

  /** One FP32 output of every result's values, shape [N, ...rowShape] (rowShape empty: [N, length]). */
  private static void rows(ObjectNode output, String name, List<InferenceResult> results,
      java.util.function.Function<Object, List<Float>> values, List<Integer> rowShape) {
    output.put("name", name);
    output.put("datatype", "FP32");
    ArrayNode shape = output.putArray("shape").add(results.size());
    if (rowShape.isEmpty()) {
      shape.add(values.apply(results.get(0).getOutput()).size());
    } else {
      rowShape.forEach(shape::add);
    }
    ArrayNode data = output.putArray("data");
    results.forEach(r -> values.apply(r.getOutput()).forEach(data::add));
  }

  private Optional<ApiResponse> missing(String model, String version) {
    List<ModelDeployment> versions = pipeline.versionsOf(model);
    if (versions.isEmpty()) {
      return Optional.of(ERRORS.modelNotFound("model " + model + " is not deployed"));
    }
    if (version != null && pipeline.version(model, version).isEmpty()) {
      return Optional.of(ERRORS.modelNotFound("model " + model + " has no version " + version + "; deployed: "
          + String.join(", ", versions.stream().map(ModelDeployment::getVersion).toList())));
    }
    return Optional.empty();
  }

  /** The version that stands for a model: the first non-shadow one with the largest share. */
  private static ModelDeployment primary(List<ModelDeployment> versions) {
    return versions.stream().filter(d -> !d.getShadow())
        .max(java.util.Comparator.comparingDouble(ModelDeployment::getTrafficWeight)).orElse(versions.get(0));
  }

  private static void tensorMeta(ObjectNode node, String name, String datatype) {
    node.put("name", name);
    node.put("datatype", datatype);
    node.putArray("shape").add(-1).add(-1);
  }

  private static String version() {
    String version = OpenInferenceEndpoint.class.getPackage().getImplementationVersion();
    return version == null ? "dev" : version;
  }

  private static CompletableFuture<ApiResponse> done(ApiResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
