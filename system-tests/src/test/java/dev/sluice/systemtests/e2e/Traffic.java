package dev.sluice.systemtests.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.TextInput;
import dev.sluice.loadgen.GeneratedSentences;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.platform.topics.Outcomes;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Sends requests into a running pipeline and accounts for their outcomes as a read_committed reader. */
final class Traffic implements AutoCloseable {
  private static final GeneratedSentences SENTENCES = new GeneratedSentences(20261126L);

  final PipelineTopics topics;
  final RestSchemaRegistryClient registry;
  final AvroSerializer<Object> avro;
  final KafkaProducer<byte[], byte[]> producer;
  final Outcomes outcomes;

  Traffic(Map<String, Object> clientProperties, PipelineTopics topics, String schemaRegistryUrl) {
    this.topics = topics;
    this.registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(schemaRegistryUrl));
    this.avro = new AvroSerializer<>(registry);
    Map<String, Object> props = new HashMap<>(clientProperties);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    this.outcomes = new Outcomes(clientProperties, topics, registry);
  }

  /** A varied English sentence of 8-40 words for request {@code i} (the bench's generator). */
  static String sentence(int i) {
    return SENTENCES.text(i);
  }

  static InferenceRequest.Builder text(String id, String model, String text) {
    return InferenceRequest.newBuilder().setRequestId(id).setModel(model).setTenant("e2e").setCreatedAt(Instant.now())
        .setInput(new TextInput(text));
  }

  /** Sends {@code count} valid text requests with ids {@code prefix0...}; returns the ids. */
  List<String> sendSentences(String prefix, int from, int count) {
    List<String> ids = new ArrayList<>();
    for (int i = from; i < from + count; i++) {
      String id = prefix + i;
      send(text(id, "minilm", sentence(i)).build());
      ids.add(id);
    }
    producer.flush();
    return ids;
  }

  void send(InferenceRequest request) {
    sendRaw(request.getRequestId(), avro.serialize(topics.requests(), request));
  }

  void sendRaw(String key, byte[] value) {
    producer.send(new ProducerRecord<>(topics.requests(), key.getBytes(StandardCharsets.UTF_8), value));
  }

  /** Reads until every id has an outcome; fails naming the missing ones after the timeout. */
  void awaitOutcomes(Collection<String> ids, Duration timeout) {
    producer.flush();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!ids.stream().allMatch(outcomes::answered) && System.nanoTime() < deadline) {
      outcomes.poll(Duration.ofMillis(200));
    }
    List<String> missing = ids.stream().filter(id -> !outcomes.answered(id)).toList();
    assertThat(missing).as("requests without an outcome after " + timeout).isEmpty();
  }

  /** Each id has exactly one outcome: one result or one rejection, not both, not two. Reads on for a moment first. */
  void assertExactlyOnce(Collection<String> ids) {
    outcomes.poll(Duration.ofSeconds(1));
    List<String> twice = ids.stream().filter(id -> outcomes.results(id).size() + outcomes.rejections(id).size() != 1)
        .map(id -> id + " (" + outcomes.results(id).size() + " results, " + outcomes.rejections(id).size() + " rejections)").toList();
    assertThat(twice).as("requests not answered exactly once").isEmpty();
  }

  /** The one result of a request, once {@link #awaitOutcomes} saw it. */
  InferenceResult result(String id) {
    assertThat(outcomes.results(id)).as("results of " + id).hasSize(1);
    return outcomes.results(id).get(0).value();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
    outcomes.close();
    registry.close();
  }
}
