package dev.sluice.preprocessing;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.ReasonCode;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Checks a decoded request against the limits of its model version before anything else is done
 * with it. The checks run in a fixed order and the first failure wins:
 *
 * <ol>
 *   <li>MISSING_FIELD: no request, a blank request_id or model, no input, a text input without
 *       text, a tensor without shape or values (or with a null element), a tabular input without
 *       its feature map (or with an unnamed feature). A null feature value is a missing value the
 *       normalizer imputes, not an error here. An input of none of the three Avro input types is
 *       rejected with OTHER.
 *   <li>PAYLOAD_TOO_LARGE: more serialized bytes than the limit.
 *   <li>INVALID_TIMESTAMP: a {@code created_at} or {@code deadline} outside the
 *       {@link TimestampRange} (before 2000, or beyond the horizon after now).
 *   <li>EXPIRED: a deadline that is not after the clock's current instant.
 *   <li>INVALID_TEXT: an unpaired surrogate, U+0000 or a noncharacter in the text (other control
 *       characters are stripped by the normalizer instead).
 *   <li>NON_FINITE_NUMBER: NaN or an infinity among the tensor values or the feature values.
 *   <li>SHAPE_MISMATCH: an empty tensor shape, a dimension below 1, a shape whose product is not
 *       the number of values, or a shape that does not match the model's (same rank, and equal in
 *       every dimension the model does not mark free with -1).
 * </ol>
 *
 * <p>The validator never throws for any request content; it is stateless apart from its clock.
 */
public final class RequestValidator {
  private final Clock clock;
  private final TimestampRange timestamps;

  /**
   * Creates a validator with the default {@link TimestampRange}.
   *
   * @param clock the clock that deadlines are compared with
   */
  public RequestValidator(Clock clock) {
    this(clock, TimestampRange.defaults());
  }

  /**
   * Creates a validator.
   *
   * @param clock the clock that deadlines and timestamps are compared with
   * @param timestamps the instants {@code created_at} and {@code deadline} may take
   */
  public RequestValidator(Clock clock, TimestampRange timestamps) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.timestamps = Objects.requireNonNull(timestamps, "timestamps");
  }

  /**
   * Validates one request.
   *
   * @param request the decoded request
   * @param serializedBytes the size of the request as it arrived, in bytes
   * @param limits the limits of the model version the request goes to
   * @return the request itself when it passes, else the first failure
   */
  public Outcome<InferenceRequest> validate(
      InferenceRequest request, int serializedBytes, EffectiveLimits limits) {
    Objects.requireNonNull(limits, "limits");
    Optional<Outcome<InferenceRequest>> failure = missingField(request)
        .or(() -> tooLarge(serializedBytes, limits))
        .or(() -> invalidTimestamp(request))
        .or(() -> expired(request.getDeadline()))
        .or(() -> invalidText(request.getInput()))
        .or(() -> nonFinite(request.getInput()))
        .or(() -> shapeMismatch(request.getInput(), limits));
    return failure.orElseGet(() -> Outcome.accepted(request));
  }

  private static Optional<Outcome<InferenceRequest>> missingField(InferenceRequest request) {
    if (request == null) {
      return reject(ReasonCode.MISSING_FIELD, "request is missing");
    }
    if (isBlank(request.getRequestId())) {
      return reject(ReasonCode.MISSING_FIELD, "request_id is missing or blank");
    }
    if (isBlank(request.getModel())) {
      return reject(ReasonCode.MISSING_FIELD, "model is missing or blank");
    }
    Object input = request.getInput();
    if (input == null) {
      return reject(ReasonCode.MISSING_FIELD, "input is missing");
    }
    if (input instanceof TextInput text) {
      return text.getText() == null ? reject(ReasonCode.MISSING_FIELD, "input.text is missing") : Optional.empty();
    }
    if (input instanceof TensorInput tensor) {
      return firstNull("input.shape", tensor.getShape()).or(() -> firstNull("input.values", tensor.getValues()));
    }
    if (input instanceof TabularInput tabular) {
      Map<String, Double> features = tabular.getFeatures();
      if (features == null) {
        return reject(ReasonCode.MISSING_FIELD, "input.features is missing");
      }
      for (String name : features.keySet()) {
        if (name == null) {
          return reject(ReasonCode.MISSING_FIELD, "input.features has a feature without a name");
        }
      }
      return Optional.empty();
    }
    return reject(ReasonCode.OTHER, "input is a " + input.getClass().getName()
        + "; expected TextInput, TensorInput or TabularInput");
  }

  private static Optional<Outcome<InferenceRequest>> firstNull(String field, List<?> list) {
    if (list == null) {
      return reject(ReasonCode.MISSING_FIELD, field + " is missing");
    }
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i) == null) {
        return reject(ReasonCode.MISSING_FIELD, field + "[" + i + "] is missing");
      }
    }
    return Optional.empty();
  }

  private static Optional<Outcome<InferenceRequest>> tooLarge(int serializedBytes, EffectiveLimits limits) {
    if (serializedBytes > limits.maxPayloadBytes()) {
      return reject(ReasonCode.PAYLOAD_TOO_LARGE, "request is " + serializedBytes
          + " bytes serialized; the limit is " + limits.maxPayloadBytes() + " bytes");
    }
    return Optional.empty();
  }

  private Optional<Outcome<InferenceRequest>> invalidTimestamp(InferenceRequest request) {
    Instant now = clock.instant();
    return timestamps.problem("created_at", request.getCreatedAt(), now)
        .or(() -> timestamps.problem("deadline", request.getDeadline(), now))
        .flatMap(detail -> reject(ReasonCode.INVALID_TIMESTAMP, detail));
  }

  private Optional<Outcome<InferenceRequest>> expired(Instant deadline) {
    if (deadline == null) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    if (!deadline.isAfter(now)) {
      return reject(ReasonCode.EXPIRED, "deadline " + deadline + " is not after now (" + now + ")");
    }
    return Optional.empty();
  }

  private static Optional<Outcome<InferenceRequest>> invalidText(Object input) {
    if (input instanceof TextInput text) {
      return TextValidity.firstProblem("input.text", text.getText())
          .flatMap(detail -> reject(ReasonCode.INVALID_TEXT, detail));
    }
    return Optional.empty();
  }

  private static Optional<Outcome<InferenceRequest>> nonFinite(Object input) {
    if (input instanceof TensorInput tensor) {
      List<Float> values = tensor.getValues();
      for (int i = 0; i < values.size(); i++) {
        float v = values.get(i);
        if (!Float.isFinite(v)) {
          return reject(ReasonCode.NON_FINITE_NUMBER, "input.values[" + i + "] is " + v);
        }
      }
    } else if (input instanceof TabularInput tabular) {
      List<String> bad = new ArrayList<>();
      for (Map.Entry<String, Double> e : tabular.getFeatures().entrySet()) {
        Double v = e.getValue();
        if (v != null && !Double.isFinite(v)) {
          bad.add("\"" + e.getKey() + "\" = " + v);
        }
      }
      if (!bad.isEmpty()) {
        bad.sort(null);
        return reject(ReasonCode.NON_FINITE_NUMBER, "input.features has non-finite values: " + String.join(", ", bad));
      }
    }
    return Optional.empty();
  }

  private static Optional<Outcome<InferenceRequest>> shapeMismatch(Object input, EffectiveLimits limits) {
    if (!(input instanceof TensorInput tensor)) {
      return Optional.empty();
    }
    List<Integer> shape = tensor.getShape();
    if (shape.isEmpty()) {
      return reject(ReasonCode.SHAPE_MISMATCH, "input.shape is empty; a tensor needs at least one dimension");
    }
    long product = 1;
    for (int i = 0; i < shape.size(); i++) {
      int dim = shape.get(i);
      if (dim < 1) {
        return reject(ReasonCode.SHAPE_MISMATCH, "input.shape[" + i + "] is " + dim + "; dimensions must be >= 1");
      }
      product = Math.min(product * dim, (long) Integer.MAX_VALUE + 1);
    }
    int count = tensor.getValues().size();
    if (product != count) {
      String holds = product > Integer.MAX_VALUE ? "more than " + Integer.MAX_VALUE : Long.toString(product);
      return reject(ReasonCode.SHAPE_MISMATCH,
          "input.shape " + shape + " holds " + holds + " values but input.values has " + count);
    }
    return limits.tensorShape().flatMap(expected -> againstModel(shape, expected));
  }

  private static Optional<Outcome<InferenceRequest>> againstModel(List<Integer> shape, List<Integer> expected) {
    if (shape.size() != expected.size()) {
      return reject(ReasonCode.SHAPE_MISMATCH, "input.shape " + shape + " has rank " + shape.size()
          + " but the model expects rank " + expected.size() + " " + expected);
    }
    for (int i = 0; i < shape.size(); i++) {
      int want = expected.get(i);
      int got = shape.get(i);
      if (want != -1 && want != got) {
        return reject(ReasonCode.SHAPE_MISMATCH, "input.shape[" + i + "] is " + got
            + " but the model expects " + want + " (expected shape " + expected + ", -1 = any)");
      }
    }
    return Optional.empty();
  }

  private static boolean isBlank(String s) {
    return s == null || s.isBlank();
  }

  private static Optional<Outcome<InferenceRequest>> reject(ReasonCode reason, String detail) {
    return Optional.of(Outcome.rejected(reason, detail));
  }
}
