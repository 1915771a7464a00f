package dev.sluice.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ModelDeployment;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * OpenAI's {@code POST /v1/embeddings} over the pipeline: one request per input, sent together and
 * answered together, in input order. {@code model} is a Sluice model name, or {@code name/version}
 * to pin a version (else the ingress routes by the traffic split). {@code encoding_format} is
 * {@code float} or {@code base64} (little-endian float32, as OpenAI encodes it); {@code user}
 * becomes the request attribute {@code user}. Usage counts the tokens the worker's tokenizer made.
 * Any input without an output fails the whole call with the first such input's error, as OpenAI does.
 */
final class EmbeddingsEndpoint {
  private static final ErrorShape ERRORS = ErrorShape.OPENAI;
  private final Pipeline pipeline;
  private final int maxInputs;

  EmbeddingsEndpoint(Pipeline pipeline, int maxInputs) {
    this.pipeline = pipeline;
    this.maxInputs = maxInputs;
  }

  CompletableFuture<ApiResponse> call(JsonNode body, CallOptions options) {
    if (body == null || !body.isObject()) {
      return done(ERRORS.badRequest(null, "the body must be a JSON object with input and model"));
    }
    JsonNode modelField = body.get("model");
    if (modelField == null || !modelField.isTextual() || modelField.asText().isBlank()) {
      return done(ERRORS.badRequest("model", "model is required: a deployed model's name, or name/version (GET /v1/models lists them)"));
    }
    String format = body.path("encoding_format").asText("float");
    if (!format.equals("float") && !format.equals("base64")) {
      return done(ERRORS.badRequest("encoding_format", "encoding_format must be float or base64, was " + body.get("encoding_format")));
    }
    if (body.has("dimensions") && !body.get("dimensions").isNull()) {
      return done(ERRORS.badRequest("dimensions", "dimensions is not supported: Sluice returns the model's own vectors"));
    }
    JsonNode userField = body.get("user");
    if (userField != null && !userField.isNull() && !userField.isTextual()) {
      return done(ERRORS.badRequest("user", "user must be a string"));
    }
    List<String> texts = new ArrayList<>();
    Optional<ApiResponse> inputProblem = texts(body.get("input"), texts);
    if (inputProblem.isPresent()) {
      return done(inputProblem.get());
    }
    String requested = modelField.asText();
    int slash = requested.indexOf('/');
    String model = slash < 0 ? requested : requested.substring(0, slash);
    String version = slash < 0 ? null : requested.substring(slash + 1);
    Optional<ApiResponse> modelProblem = checkModel(model, version);
    if (modelProblem.isPresent()) {
      return done(modelProblem.get());
    }
    Map<String, String> attributes = new HashMap<>();
    if (userField != null && userField.isTextual()) {
      attributes.put("user", userField.asText());
    }
    List<Object> inputs = texts.stream().<Object>map(TextInput::new).toList();
    return Call.send(pipeline, model, version, inputs, attributes, options).thenApply(outcome -> respond(requested, outcome,
        format.equals("base64"), inputs.size()).sent(outcome.requestIds()));
  }

  /** Reads {@code input} into texts, or says what is wrong with it. */
  private Optional<ApiResponse> texts(JsonNode input, List<String> texts) {
    if (input == null || input.isNull()) {
      return Optional.of(ERRORS.badRequest("input", "input is required: a string or an array of strings"));
    }
    if (input.isTextual()) {
      texts.add(input.asText());
      return Optional.empty();
    }
    if (!input.isArray() || input.isEmpty()) {
      return Optional.of(ERRORS.badRequest("input", "input must be a string or a non-empty array of strings"));
    }
    if (input.size() > maxInputs) {
      return Optional.of(ERRORS.badRequest("input", "input has " + input.size() + " items; at most " + maxInputs + " per call"));
    }
    for (int i = 0; i < input.size(); i++) {
      JsonNode item = input.get(i);
      if (!item.isTextual()) {
        return Optional.of(ERRORS.badRequest("input[" + i + "]", item.isArray() || item.isNumber()
            ? "token arrays are not supported: send the text, the worker tokenizes it" : "every input must be a string"));
      }
      texts.add(item.asText());
    }
    return Optional.empty();
  }

  private Optional<ApiResponse> checkModel(String model, String version) {
    List<ModelDeployment> versions = pipeline.versionsOf(model);
    if (versions.isEmpty()) {
      return Optional.of(ERRORS.modelNotFound("model " + model + " is not deployed (GET /v1/models lists the deployed ones)"));
    }
    if (version != null && versions.stream().noneMatch(d -> d.getVersion().equals(version))) {
      return Optional.of(ERRORS.modelNotFound("model " + model + " has no version " + version + "; deployed: "
          + String.join(", ", versions.stream().map(ModelDeployment::getVersion).toList())));
    }
    Task task = versions.stream().filter(d -> version == null ? !d.getShadow() : d.getVersion().equals(version)).map(ModelDeployment::getTask)
        .findFirst().orElse(versions.get(0).getTask());
    if (task != Task.TEXT_EMBEDDING) {
      return Optional.of(ERRORS.badRequest("model", "model " + model + " is a " + task + " model; /v1/embeddings serves "
          + Task.TEXT_EMBEDDING + " models (use /v2/models/" + model + "/infer)"));
    }
    return Optional.empty();
  }

  private ApiResponse respond(String model, Call.Outcome outcome, boolean base64, int inputs) {
    if (outcome.failed()) {
      return ERRORS.failure(outcome.failure(), inputs == 1 ? "input" : "input[" + outcome.failedIndex() + "]");
    }
    ObjectNode body = ApiResponse.JSON.createObjectNode();
    body.put("object", "list");
    ArrayNode data = body.putArray("data");
    long tokens = 0;
    for (int i = 0; i < outcome.results().size(); i++) {
      InferenceResult result = outcome.results().get(i);
      if (!(result.getOutput() instanceof Embedding embedding)) {
        return ERRORS.internal("model version " + result.getModelVersion() + " answered without an embedding");
      }
      ObjectNode item = data.addObject();
      item.put("object", "embedding");
      item.put("index", i);
      if (base64) {
        item.put("embedding", base64(embedding.getVector()));
      } else {
        ArrayNode vector = item.putArray("embedding");
        embedding.getVector().forEach(vector::add);
      }
      tokens += result.getInputTokens() == null ? 0 : result.getInputTokens();
    }
    body.put("model", model);
    ObjectNode usage = body.putObject("usage");
    usage.put("prompt_tokens", tokens);
    usage.put("total_tokens", tokens);
    return ApiResponse.json(200, body);
  }

  /** A vector as OpenAI's base64: little-endian float32. */
  static String base64(List<Float> vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.size() * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    vector.forEach(bytes::putFloat);
    return Base64.getEncoder().encodeToString(bytes.array());
  }

  private static CompletableFuture<ApiResponse> done(ApiResponse response) {
    return CompletableFuture.completedFuture(response);
  }
}
