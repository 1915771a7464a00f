package dev.sluice.stack.demo;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.TextInput;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code sluice demo} sends: sixteen sentences on four subjects (so each one's nearest
 * neighbour by embedding is meaningful), a retry of one of them under the same idempotency key
 * (dropped), four requests the ingress must refuse, one record that is not Avro at all, and three
 * repeats of earlier content under new ids (answered from the result cache).
 */
final class DemoSamples {
  static final String MODEL = "minilm";

  static final List<String> SENTENCES = List.of(
      "Kafka stores streams of records in a durable, replicated log.",
      "A Kafka topic is split into partitions that are replicated across brokers.",
      "Consumers in one group share the partitions of the topics they read.",
      "Exactly-once processing in Kafka relies on idempotent producers and transactions.",
      "The espresso was bitter, so she added a spoon of sugar.",
      "He ground the coffee beans fresh every morning before work.",
      "A good cappuccino needs steamed milk with a fine foam.",
      "The café on the corner serves the best flat white in town.",
      "The striker scored twice in the second half to win the match.",
      "The goalkeeper saved a penalty in the final minute.",
      "Fans filled the stadium to watch the championship game.",
      "The coach praised the defence after a clean sheet.",
      "Heavy rain is expected across the north on Tuesday.",
      "A cold front will bring snow to the mountains this weekend.",
      "The forecast promises sunshine and warm temperatures for the coast.",
      "Strong winds knocked down trees and power lines overnight.");

  /** Indexes into {@link #SENTENCES} whose content is sent again, under new ids, once answered. */
  static final List<Integer> REPEATED = List.of(0, 5, 10);

  /** The index of the sentence whose request is retried under the same idempotency key. */
  static final int RETRIED = 2;

  private DemoSamples() {}

  static String sentenceId(int index) {
    return "demo-" + (index + 1);
  }

  static InferenceRequest sentence(int index, Instant now) {
    return text(sentenceId(index), MODEL, SENTENCES.get(index), now).setIdempotencyKey("idem-" + sentenceId(index)).build();
  }

  static InferenceRequest repeat(int index, Instant now) {
    return text("demo-repeat-" + (index + 1), MODEL, SENTENCES.get(index), now).build();
  }

  /** Requests the ingress refuses, by the reason it must give. */
  static Map<String, InferenceRequest> invalid(Instant now) {
    return Map.of(
        "UNKNOWN_MODEL", text("demo-bad-model", "no-such-model", "Which model is this for?", now).build(),
        "MISSING_FIELD", text("demo-bad-blank-model", " ", "A request without a model name.", now).build(),
        "INVALID_TEXT", text("demo-bad-text", MODEL, "A NUL character \u0000 is not text.", now).build(),
        "EXPIRED", text("demo-bad-deadline", MODEL, "This request's deadline has passed.", now).setDeadline(now.minusSeconds(60)).build());
  }

  /** A record key and value that is not Avro in the Confluent wire format. */
  static final String GARBAGE_KEY = "demo-garbage";
  static final byte[] GARBAGE = "this is not Avro".getBytes(java.nio.charset.StandardCharsets.UTF_8);

  private static InferenceRequest.Builder text(String id, String model, String text, Instant now) {
    return InferenceRequest.newBuilder().setRequestId(id).setModel(model).setTenant("demo").setCreatedAt(now)
        .setInput(new TextInput(text)).setAttributes(Map.of("source", "sluice demo"));
  }
}
