package dev.sluice.preprocessing;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TabularInput;
import dev.sluice.avro.TensorInput;
import dev.sluice.avro.TextInput;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keys that identify a request's content and its retries.
 *
 * <p>The content key is the lowercase hex SHA-256 of a canonical encoding of the model name and
 * the normalized input; equal keys mean the model would see equal input. The encoding is, in
 * order and big-endian: the domain tag {@code "sluice.content.v1"}, the model name, one byte for
 * the input type (1 text, 2 tensor, 3 tabular), then the content: for text its UTF-8 bytes; for a
 * tensor the rank and each dimension, then the value count and each value's
 * {@link Float#floatToIntBits} (so every NaN is one NaN, and 0.0 and -0.0 differ); for a tabular
 * row the feature count, then per feature in name order its name and either a 0 byte (missing)
 * or a 1 byte and the value's {@link Double#doubleToLongBits}. Every string is preceded by its
 * UTF-8 byte count and every list by its length, so no two inputs share an encoding by
 * concatenation. Feature names are sorted so that the key does not depend on the map's order.
 */
public final class ContentKeys {
  private static final String DOMAIN = "sluice.content.v1";
  private static final int TEXT = 1;
  private static final int TENSOR = 2;
  private static final int TABULAR = 3;

  private ContentKeys() {}

  /**
   * The content key of a normalized input.
   *
   * @param model the model name
   * @param normalizedInput a normalized {@link TextInput}, {@link TensorInput} or
   *     {@link TabularInput} (a {@link NormalizedInput} is unwrapped)
   * @return 64 lowercase hex digits
   * @throws IllegalArgumentException for another input type, or text with an unpaired surrogate
   */
  public static String contentKey(String model, Object normalizedInput) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(normalizedInput, "normalizedInput");
    Object input = normalizedInput instanceof NormalizedInput n ? n.input() : normalizedInput;
    CanonicalDigest digest = new CanonicalDigest().putString(DOMAIN).putString(model);
    if (input instanceof TextInput text) {
      digest.putByte(TEXT).putString(Objects.requireNonNull(text.getText(), "text"));
    } else if (input instanceof TensorInput tensor) {
      digest.putByte(TENSOR);
      List<Integer> shape = tensor.getShape();
      digest.putInt(shape.size());
      shape.forEach(digest::putInt);
      List<Float> values = tensor.getValues();
      digest.putInt(values.size());
      values.forEach(v -> digest.putInt(Float.floatToIntBits(v)));
    } else if (input instanceof TabularInput tabular) {
      digest.putByte(TABULAR);
      List<Map.Entry<String, Double>> features = new ArrayList<>(tabular.getFeatures().entrySet());
      features.sort(Map.Entry.comparingByKey());
      digest.putInt(features.size());
      for (Map.Entry<String, Double> feature : features) {
        digest.putString(feature.getKey());
        if (feature.getValue() == null) {
          digest.putByte(0);
        } else {
          digest.putByte(1).putLong(Double.doubleToLongBits(feature.getValue()));
        }
      }
    } else {
      throw new IllegalArgumentException("cannot key a " + input.getClass().getName()
          + "; expected TextInput, TensorInput or TabularInput");
    }
    return digest.hex();
  }

  /**
   * The key retries of a request share: {@code "idem:" + idempotency key} when the request has a
   * non-blank one, else {@code "content:" + contentKey}. The prefixes keep the two kinds apart.
   *
   * @param request the request
   * @param contentKey its content key
   * @return the dedup key
   */
  public static String dedupKey(InferenceRequest request, String contentKey) {
    Objects.requireNonNull(request, "request");
    String idempotencyKey = request.getIdempotencyKey();
    if (idempotencyKey != null && !idempotencyKey.isBlank()) {
      return "idem:" + idempotencyKey;
    }
    return "content:" + Objects.requireNonNull(contentKey, "contentKey");
  }
}
