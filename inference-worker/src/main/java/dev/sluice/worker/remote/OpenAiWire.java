package dev.sluice.worker.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.TextInput;
import dev.sluice.worker.model.ModelRunException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * OpenAI's embeddings API ({@code POST /v1/embeddings}), as TEI, vLLM, Infinity, LM Studio, OpenAI
 * and the Sluice gateway serve it: the texts as {@code input}, one call per micro-batch; the
 * vectors from {@code data[].embedding} in the order of their {@code index}; the prompt tokens from
 * {@code usage.prompt_tokens} when the server reports them. Text embeddings only.
 */
final class OpenAiWire implements WireFormat {
  private final String path;
  private final String remoteModel;

  /**
   * @param baseUrl the endpoint's URL: the server's root, or its OpenAI base ending in {@code /v1}
   * @param remoteModel the model's name on the server
   */
  OpenAiWire(String baseUrl, String remoteModel) {
    this.path = baseUrl.replaceAll("/+$", "").endsWith("/v1") ? "/embeddings" : "/v1/embeddings";
    this.remoteModel = remoteModel;
  }

  @Override
  public String path() {
    return path;
  }

  @Override
  public int maxInputsPerCall(List<Object> inputs) {
    return Integer.MAX_VALUE;
  }

  @Override
  public JsonNode request(List<Object> inputs) throws ModelRunException {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("model", remoteModel);
    body.put("encoding_format", "float");
    ArrayNode texts = body.putArray("input");
    for (int i = 0; i < inputs.size(); i++) {
      if (!(inputs.get(i) instanceof TextInput text)) {
        throw new ModelRunException("input " + i + " is not text: an openai endpoint embeds texts only", null);
      }
      texts.add(text.getText());
    }
    return body;
  }

  @Override
  public Answer answer(JsonNode body, List<Object> inputs) throws EndpointFailure {
    JsonNode data = body.path("data");
    if (!data.isArray() || data.size() != inputs.size()) {
      throw bad("expected data with " + inputs.size() + " embeddings, got " + (data.isArray() ? data.size() : "none"));
    }
    Object[] outputs = new Object[inputs.size()];
    for (int i = 0; i < data.size(); i++) {
      JsonNode item = data.get(i);
      int index = item.path("index").asInt(i);
      JsonNode vector = item.path("embedding");
      if (index < 0 || index >= outputs.length || outputs[index] != null || !vector.isArray() || vector.isEmpty()) {
        throw bad("data[" + i + "] has no embedding of its own (index " + item.path("index") + ")");
      }
      List<Float> values = new ArrayList<>(vector.size());
      for (JsonNode value : vector) {
        if (!value.isNumber()) {
          throw bad("data[" + i + "].embedding holds a " + value.getNodeType() + "; expected numbers (encoding_format float)");
        }
        values.add(value.floatValue());
      }
      outputs[index] = new Embedding(values);
    }
    JsonNode tokens = body.path("usage").path("prompt_tokens");
    return new Answer(Arrays.asList(outputs), tokens.canConvertToLong() && tokens.asLong() >= 0 ? tokens.asLong() : -1);
  }

  @Override
  public String errorMessage(JsonNode body) {
    JsonNode message = body.path("error").path("message");
    return message.isTextual() ? message.asText() : body.path("error").isTextual() ? body.path("error").asText() : null;
  }

  private static EndpointFailure bad(String what) {
    return new EndpointFailure(EndpointFailure.Kind.UNAVAILABLE, "not an OpenAI embeddings answer: " + what, null);
  }
}
