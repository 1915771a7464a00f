package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.avro.Embedding;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.RejectedRequest;
import dev.sluice.avro.Stage;
import dev.sluice.avro.Status;
import dev.sluice.avro.Task;
import dev.sluice.avro.TextInput;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddingsEndpointTest {
  private static final Instant DEADLINE = Instant.parse("2026-12-07T12:00:05Z");
  private static final CallOptions ANONYMOUS = new CallOptions(new ApiKeys.Caller(null, null), DEADLINE, Duration.ofMillis(200), null, null);

  private final FakePipeline pipeline = new FakePipeline().deploy("minilm", "v1", Task.TEXT_EMBEDDING).deploy("minilm", "v2", Task.TEXT_EMBEDDING)
      .deploy("sentiment", "v1", Task.TEXT_CLASSIFICATION);
  private final EmbeddingsEndpoint endpoint = new EmbeddingsEndpoint(pipeline, 3);

  private static Reply ok(InferenceRequest request) {
    String text = ((TextInput) request.getInput()).getText();
    return new Reply.Result(InferenceResult.newBuilder().setRequestId(request.getRequestId()).setModel("minilm").setModelVersion("v1")
        .setStatus(Status.OK).setOutput(new Embedding(List.of((float) text.length(), -0.5f))).setCompletedAt(DEADLINE)
        .setInputTokens(text.length() + 2).build());
  }

  private static Reply rejected(InferenceRequest request, ReasonCode reason, Long retryAfterMs) {
    return new Reply.Rejected(RejectedRequest.newBuilder().setRequestId(request.getRequestId()).setReason(reason).setStage(Stage.VALIDATE)
        .setDetail("detail of " + reason).setRejectedAt(DEADLINE).setRetryAfterMs(retryAfterMs).build());
  }

  private ApiResponse call(String json) throws Exception {
    return call(json, ANONYMOUS);
  }

  private ApiResponse call(String json, CallOptions options) throws Exception {
    return endpoint.call(ApiResponse.JSON.readTree(json), options).get();
  }

  private static JsonNode body(ApiResponse response) throws Exception {
    return ApiResponse.JSON.readTree(response.body());
  }

  @Test
  void answersEveryInputInOrderWithTheTokenizersCountsAsUsage() throws Exception {
    pipeline.answer = EmbeddingsEndpointTest::ok;
    ApiResponse response = call("{\"model\":\"minilm\",\"input\":[\"a\",\"bbb\",\"cc\"],\"user\":\"u-7\"}");

    assertThat(response.status()).isEqualTo(200);
    JsonNode body = body(response);
    assertThat(body.get("object").asText()).isEqualTo("list");
    assertThat(body.get("model").asText()).isEqualTo("minilm");
    assertThat(body.get("data")).extracting(d -> d.get("index").asInt()).containsExactly(0, 1, 2);
    assertThat(body.get("data")).extracting(d -> d.get("embedding").get(0).floatValue()).containsExactly(1f, 3f, 2f);
    assertThat(body.get("usage").get("prompt_tokens").asLong()).isEqualTo(3 + 5 + 4);
    assertThat(pipeline.sent).allSatisfy(r -> {
      assertThat(r.getModel()).isEqualTo("minilm");
      assertThat(r.getModelVersion()).isNull();
      assertThat(r.getDeadline()).isEqualTo(DEADLINE);
      assertThat(r.getAttributes()).containsEntry("user", "u-7");
      assertThat(r.getIdempotencyKey()).isNull();
    });
    assertThat(pipeline.sent).extracting(InferenceRequest::getRequestId).doesNotHaveDuplicates();
  }

  @Test
  void base64IsLittleEndianFloat32AsOpenAiEncodesIt() throws Exception {
    pipeline.answer = EmbeddingsEndpointTest::ok;
    JsonNode item = body(call("{\"model\":\"minilm/v2\",\"input\":\"abcd\",\"encoding_format\":\"base64\"}")).get("data").get(0);

    ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(item.get("embedding").asText())).order(ByteOrder.LITTLE_ENDIAN);
    assertThat(bytes.getFloat()).isEqualTo(4f);
    assertThat(bytes.getFloat()).isEqualTo(-0.5f);
    assertThat(pipeline.sent.get(0).getModelVersion()).as("name/version pins the version").isEqualTo("v2");
  }

  @Test
  void theTenantIdempotencyKeyAndTraceGoOnEveryRequest() throws Exception {
    pipeline.answer = EmbeddingsEndpointTest::ok;
    call("{\"model\":\"minilm\",\"input\":[\"a\",\"b\"]}",
        new CallOptions(new ApiKeys.Caller("k1", "acme"), DEADLINE, Duration.ofSeconds(1), "retry-me", "00-abc-def-01"));

    assertThat(pipeline.sent).extracting(InferenceRequest::getIdempotencyKey).containsExactly("retry-me#0", "retry-me#1");
    assertThat(pipeline.sent).extracting(InferenceRequest::getTenant).containsOnly("acme");
    assertThat(pipeline.sent).extracting(InferenceRequest::getTraceparent).containsOnly("00-abc-def-01");
  }

  @Test
  void theFirstFailedInputDecidesTheErrorWithItsReasonCodeAndParam() throws Exception {
    pipeline.answer = r -> ((TextInput) r.getInput()).getText().equals("bad") ? rejected(r, ReasonCode.INVALID_TEXT, null) : ok(r);
    ApiResponse response = call("{\"model\":\"minilm\",\"input\":[\"fine\",\"bad\",\"fine too\"]}");

    assertThat(response.status()).isEqualTo(422);
    JsonNode error = body(response).get("error");
    assertThat(error.get("code").asText()).isEqualTo("INVALID_TEXT");
    assertThat(error.get("param").asText()).isEqualTo("input[1]");
    assertThat(error.get("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.get("message").asText()).isEqualTo("detail of INVALID_TEXT");
  }

  @Test
  void aRateLimitedInputIs429WithRetryAfterInWholeSeconds() throws Exception {
    pipeline.answer = r -> rejected(r, ReasonCode.RATE_LIMITED, 1_200L);
    ApiResponse response = call("{\"model\":\"minilm\",\"input\":\"x\"}");

    assertThat(response.status()).isEqualTo(429);
    assertThat(response.headers()).containsEntry("Retry-After", "2");
    assertThat(body(response).get("error").get("type").asText()).isEqualTo("rate_limit_error");
    assertThat(response.reason()).isEqualTo("RATE_LIMITED");
  }

  @Test
  void noReplyBeforeTheDeadlineIs504AndADuplicateIs409() throws Exception {
    assertThat(call("{\"model\":\"minilm\",\"input\":\"never answered\"}").status()).isEqualTo(504);
    pipeline.answer = r -> new Reply.Duplicate();
    ApiResponse duplicate = call("{\"model\":\"minilm\",\"input\":\"again\"}");
    assertThat(duplicate.status()).isEqualTo(409);
    assertThat(body(duplicate).get("error").get("code").asText()).isEqualTo("duplicate_request");
  }

  @Test
  void anExpiredOrFailedResultHasItsOwnStatus() throws Exception {
    pipeline.answer = r -> new Reply.Result(InferenceResult.newBuilder().setRequestId(r.getRequestId()).setModel("minilm").setModelVersion("v1")
        .setStatus(((TextInput) r.getInput()).getText().equals("late") ? Status.EXPIRED : Status.ERROR).setError("why").setCompletedAt(DEADLINE)
        .build());
    assertThat(call("{\"model\":\"minilm\",\"input\":\"late\"}").status()).isEqualTo(504);
    assertThat(call("{\"model\":\"minilm\",\"input\":\"broken\"}").status()).isEqualTo(422);
  }

  @Test
  void refusesWhatItCannotServeBeforeSendingAnything() throws Exception {
    assertThat(call("{\"model\":\"nosuch\",\"input\":\"x\"}").status()).isEqualTo(404);
    assertThat(body(call("{\"model\":\"minilm/v9\",\"input\":\"x\"}")).get("error").get("message").asText()).contains("deployed: v1, v2");
    assertThat(body(call("{\"model\":\"sentiment\",\"input\":\"x\"}")).get("error").get("param").asText()).isEqualTo("model");
    assertThat(call("{\"input\":\"x\"}").status()).isEqualTo(400);
    assertThat(call("{\"model\":\"minilm\"}").status()).isEqualTo(400);
    assertThat(call("{\"model\":\"minilm\",\"input\":[]}").status()).isEqualTo(400);
    assertThat(body(call("{\"model\":\"minilm\",\"input\":[[1,2,3]]}")).get("error").get("message").asText()).contains("token arrays");
    assertThat(body(call("{\"model\":\"minilm\",\"input\":[\"a\",\"b\",\"c\",\"d\"]}")).get("error").get("message").asText()).contains("at most 3");
    assertThat(call("{\"model\":\"minilm\",\"input\":\"x\",\"encoding_format\":\"int8\"}").status()).isEqualTo(400);
    assertThat(call("{\"model\":\"minilm\",\"input\":\"x\",\"dimensions\":128}").status()).isEqualTo(400);
    assertThat(call("[1,2]").status()).isEqualTo(400);
    assertThat(pipeline.sent).isEmpty();
  }
}
