package dev.sluice.cli.json;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.avro.InferenceRequest;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Reads one JSON line as an {@link InferenceRequest}, with the record key to produce it under.
 *
 * <p>Fields: {@code request_id} (default: a random UUID), {@code model} (required),
 * {@code model_version}, {@code tenant}, {@code idempotency_key}, {@code deadline} and
 * {@code created_at} (ISO-8601 instants such as {@code 2030-01-01T12:00:00Z}, or epoch
 * milliseconds; {@code created_at} defaults to now), exactly one input ({@code text}: a string;
 * {@code tensor}: {@code {"shape": [ints], "values": [numbers]}}, the shape defaulting to
 * {@code [values.length]}; {@code features}: {@code {name: number or null}}), {@code traceparent}
 * and {@code attributes} ({@code {string: string}}). A JSON null is the same as an absent field.
 * Unknown fields, duplicate fields and trailing text are refused, so a typo does not go unnoticed;
 * what the ingress validates (model names, limits, shapes, NaN) is left to it.
 *
 * <p>Thread-safe and cheap to share.
 */
public final class RequestJson {
  /** The fields a request line may have. */
  public static final List<String> FIELDS = Stream.concat(
      Stream.of("request_id", "model", "model_version", "tenant", "idempotency_key", "deadline", "created_at"),
      Stream.concat(InputJson.INPUTS.stream(), Stream.of("traceparent", "attributes"))).toList();

  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  private final Clock clock;
  private final Supplier<String> requestIds;

  /** Reads with the system clock and random UUIDs as default request ids. */
  public RequestJson() {
    this(Clock.systemUTC(), () -> UUID.randomUUID().toString());
  }

  /**
   * @param clock gives {@code created_at} when a line has none
   * @param requestIds gives {@code request_id} when a line has none
   */
  public RequestJson(Clock clock, Supplier<String> requestIds) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.requestIds = Objects.requireNonNull(requestIds, "requestIds");
  }

  /**
   * Reads one line.
   *
   * @param line one JSON object
   * @return the request and its record key ({@link KeyedRequest#of})
   * @throws InvalidRequestJsonException naming every problem of the line
   */
  public KeyedRequest parse(String line) {
    JsonNode root = tree(line);
    List<String> problems = new ArrayList<>();
    JsonFields fields = new JsonFields(root, "", problems);
    fields.rejectUnknown(FIELDS);
    String requestId = fields.nonBlankString("request_id");
    String model = fields.requiredString("model");
    String version = fields.string("model_version");
    String tenant = fields.string("tenant");
    String idempotencyKey = fields.nonBlankString("idempotency_key");
    Instant deadline = fields.instant("deadline");
    Instant createdAt = fields.instant("created_at");
    Object input = InputJson.read(fields, problems);
    String traceparent = fields.string("traceparent");
    Map<String, String> attributes = fields.stringMap("attributes");
    if (!problems.isEmpty()) {
      throw new InvalidRequestJsonException(problems);
    }
    return KeyedRequest.of(InferenceRequest.newBuilder()
        .setRequestId(requestId != null ? requestId : requestIds.get())
        .setModel(model)
        .setModelVersion(version)
        .setTenant(tenant)
        .setIdempotencyKey(idempotencyKey)
        .setDeadline(deadline)
        .setCreatedAt(createdAt != null ? createdAt : clock.instant())
        .setInput(input)
        .setTraceparent(traceparent)
        .setAttributes(attributes)
        .build());
  }

  private static JsonNode tree(String line) {
    JsonNode root;
    try {
      root = MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      String location = e.getLocation() == null ? "" : " at column " + e.getLocation().getColumnNr();
      throw new InvalidRequestJsonException(List.of("not valid JSON" + location + ": " + e.getOriginalMessage().lines().findFirst().orElse("")));
    }
    if (root == null || root.isMissingNode()) {
      throw new InvalidRequestJsonException(List.of("empty line, expected a JSON object"));
    }
    if (!root.isObject()) {
      throw new InvalidRequestJsonException(List.of("expected a JSON object, got " + JsonKinds.of(root)));
    }
    return root;
  }
}
