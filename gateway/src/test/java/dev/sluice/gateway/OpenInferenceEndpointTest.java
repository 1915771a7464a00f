package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.avro.ClassScore;
import dev.sluice.avro.ClassScores;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.Task;
import dev.sluice.avro.Tensor;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpenInferenceEndpointTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final CallOptions OPTIONS = new CallOptions(new ApiKeys.Caller("k", "acme"), NOW.plusSeconds(5), Duration.ofMillis(200),
      null, null);

  private final FakePipeline pipeline = new FakePipeline().deploy("minilm", "v1", Task.TEXT_EMBEDDING)
      .deploy("sentiment", "v1", Task.TEXT_CLASSIFICATION).deploy("iris", "v3", Task.TENSOR);
  private final OpenInferenceEndpoint endpoint = new OpenInferenceEndpoint(pipeline, 4);

  private static InferenceResult.Builder result(InferenceRequest request) {
    return InferenceResult.newBuilder().setRequestId(request.getRequestId()).setModel(request.getModel()).setModelVersion("v1")
        .setStatus(Status.OK).setCompletedAt(NOW);
  }

  private JsonNode infer(String model, String version, String json, int status) throws Exception {
    ApiResponse response = endpoint.infer(model, version, ApiResponse.JSON.readTree(json), OPTIONS).get();
    assertThat(response.status()).as(new String(response.body())).isEqualTo(status);
    return ApiResponse.JSON.readTree(response.body());
  }

  @Test
  void bytesInputsAreTextsAndTheEmbeddingsComeBackAsOneFp32Tensor() throws Exception {
    pipeline.answer = r -> new Reply.Result(result(r).setOutput(new Embedding(List.of((float) ((TextInput) r.getInput()).getText().length(), 1f)))
        .build());
    JsonNode body = infer("minilm", null, "{\"id\":\"call-1\",\"inputs\":[{\"name\":\"text\",\"shape\":[3],\"datatype\":\"BYTES\","
        + "\"data\":[\"a\",\"bbb\",\"cc\"]}]}", 200);

    assertThat(body.get("model_name").asText()).isEqualTo("minilm");
    assertThat(body.get("id").asText()).isEqualTo("call-1");
    JsonNode output = body.get("outputs").get(0);
    assertThat(output.get("name").asText()).isEqualTo("embedding");
    assertThat(output.get("datatype").asText()).isEqualTo("FP32");
    assertThat(output.get("shape")).extracting(JsonNode::asInt).containsExactly(3, 2);
    assertThat(output.get("data")).extracting(JsonNode::floatValue).containsExactly(1f, 1f, 3f, 1f, 2f, 1f);
    assertThat(pipeline.sent).extracting(InferenceRequest::getTenant).containsOnly("acme");
  }

  @Test
  void fp32BatchesAreSplitAlongTheFirstDimensionIntoOneRequestPerRow() throws Exception {
    pipeline.answer = r -> new Reply.Result(result(r).setOutput(new Tensor(List.of(2), List.of(((TensorInput) r.getInput()).getValues().get(0), 0f)))
        .build());
    JsonNode body = infer("iris", "v3", "{\"inputs\":[{\"name\":\"input\",\"shape\":[2,4],\"datatype\":\"FP32\","
        + "\"data\":[[1,2,3,4],[5,6,7,8]]}]}", 200);

    assertThat(pipeline.sent).extracting(r -> ((TensorInput) r.getInput()).getShape()).containsOnly(List.of(4));
    assertThat(pipeline.sent).extracting(r -> ((TensorInput) r.getInput()).getValues()).containsExactly(List.of(1f, 2f, 3f, 4f),
        List.of(5f, 6f, 7f, 8f));
    assertThat(pipeline.sent).extracting(InferenceRequest::getModelVersion).containsOnly("v3");
    JsonNode output = body.get("outputs").get(0);
    assertThat(output.get("shape")).extracting(JsonNode::asInt).containsExactly(2, 2);
    assertThat(output.get("data")).extracting(JsonNode::floatValue).containsExactly(1f, 0f, 5f, 0f);
  }

  @Test
  void classScoresBecomeLabelsAndScoresBestFirst() throws Exception {
    pipeline.answer = r -> new Reply.Result(result(r).setOutput(new ClassScores(List.of(new ClassScore("pos", 0.9f), new ClassScore("neg", 0.1f))))
        .build());
    JsonNode outputs = infer("sentiment", null, "{\"inputs\":[{\"name\":\"text\",\"shape\":[1],\"datatype\":\"BYTES\",\"data\":[\"good\"]}]}", 200)
        .get("outputs");

    assertThat(outputs.get(0).get("data")).extracting(JsonNode::asText).containsExactly("pos", "neg");
    assertThat(outputs.get(1).get("data")).extracting(JsonNode::floatValue).containsExactly(0.9f, 0.1f);
  }

  @Test
  void errorsAreTheProtocolsShapeWithThePipelinesStatus() throws Exception {
    pipeline.answer = r -> new Reply.Rejected(RejectedRequest.newBuilder().setRequestId(r.getRequestId()).setReason(ReasonCode.SHAPE_MISMATCH)
        .setStage(Stage.VALIDATE).setDetail("expected 4 values").setRejectedAt(NOW).build());
    JsonNode error = infer("iris", null, "{\"inputs\":[{\"name\":\"input\",\"shape\":[1,3],\"datatype\":\"FP32\",\"data\":[1,2,3]}]}", 422);
    assertThat(error.get("error").asText()).contains("expected 4 values");

    infer("nosuch", null, "{\"inputs\":[]}", 404);
    infer("minilm", "v9", "{\"inputs\":[]}", 404);
    infer("minilm", null, "{\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[1],\"data\":[1]}]}", 400);
    infer("iris", null, "{\"inputs\":[{\"datatype\":\"FP32\",\"shape\":[2,2],\"data\":[1,2,3]}]}", 400);
    infer("minilm", null, "{\"inputs\":[{\"datatype\":\"BYTES\",\"shape\":[5],\"data\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}]}", 400);
    infer("minilm", null, "{\"inputs\":[{\"datatype\":\"BYTES\",\"shape\":[2],\"data\":[\"a\"]}]}", 400);
  }

  @Test
  void metadataAndReadinessNameTheVersionsAndTensors() throws Exception {
    JsonNode metadata = ApiResponse.JSON.readTree(endpoint.metadata("minilm", null).body());
    assertThat(metadata.get("versions")).extracting(JsonNode::asText).containsExactly("v1");
    assertThat(metadata.get("inputs").get(0).get("datatype").asText()).isEqualTo("BYTES");
    assertThat(metadata.get("outputs").get(0).get("name").asText()).isEqualTo("embedding");
    assertThat(endpoint.ready("iris", "v3").status()).isEqualTo(200);
    assertThat(endpoint.ready("iris", "v4").status()).isEqualTo(404);
    assertThat(ApiResponse.JSON.readTree(endpoint.server().body()).get("name").asText()).isEqualTo("sluice");
  }

  @Test
  void routesParseEveryProtocolPath() {
    assertThat(Route.of("/v2/models/minilm/infer")).isEqualTo(new Route(Route.Kind.INFER, "POST", "minilm", null, "/v2/models/{m}/infer"));
    assertThat(Route.of("/v2/models/minilm/versions/v2/infer").version()).isEqualTo("v2");
    assertThat(Route.of("/v2/models/minilm/versions/v2/ready").kind()).isEqualTo(Route.Kind.MODEL_READY);
    assertThat(Route.of("/v2/models/minilm").kind()).isEqualTo(Route.Kind.MODEL_METADATA);
    assertThat(Route.of("/v2/models/minilm/versions/v2").label()).isEqualTo("/v2/models/{m}/versions/{v}");
    assertThat(Route.of("/v2/models//infer").kind()).isEqualTo(Route.Kind.UNKNOWN);
    assertThat(Route.of("/v2/models/minilm/explain").kind()).isEqualTo(Route.Kind.UNKNOWN);
    assertThat(Route.of("/v3").errors()).isEqualTo(ErrorShape.OPENAI);
    assertThat(Route.of("/v2/health/ready").errors()).isEqualTo(ErrorShape.OPEN_INFERENCE);
  }
}
