package dev.sluice.stack.demo;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.platform.topics.Outcomes;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Sends {@link DemoSamples} through a running pipeline, waits until every one of them has its
 * outcome, and prints what happened ({@link DemoReport}).
 */
public final class DemoRun {
  private static final Duration PATIENCE = Duration.ofMinutes(2);

  private final Map<String, Object> clientProperties;
  private final PipelineTopics topics;
  private final String schemaRegistryUrl;
  private final PrintWriter out;

  public DemoRun(Map<String, Object> clientProperties, PipelineTopics topics, String schemaRegistryUrl, PrintWriter out) {
    this.clientProperties = Map.copyOf(clientProperties);
    this.topics = topics;
    this.schemaRegistryUrl = schemaRegistryUrl;
    this.out = out;
  }

  /** Runs the demo; returns whether every sample was accounted for as expected. */
  public boolean run() throws InterruptedException {
    Map<String, Object> producerProps = new HashMap<>(clientProperties);
    producerProps.put(ProducerConfig.ACKS_CONFIG, "all");
    producerProps.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    try (RestSchemaRegistryClient registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(schemaRegistryUrl));
        Outcomes outcomes = new Outcomes(clientProperties, topics, registry);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer())) {
      AvroSerializer<Object> avro = new AvroSerializer<>(registry);
      Instant start = Instant.now();
      List<String> expected = new ArrayList<>();
      for (int i = 0; i < DemoSamples.SENTENCES.size(); i++) {
        InferenceRequest request = DemoSamples.sentence(i, Instant.now());
        send(producer, avro, request.getIdempotencyKey(), request);
        expected.add(request.getRequestId());
      }
      InferenceRequest retried = DemoSamples.sentence(DemoSamples.RETRIED, Instant.now());
      send(producer, avro, retried.getIdempotencyKey(), retried);
      Map<String, InferenceRequest> invalid = DemoSamples.invalid(Instant.now());
      for (InferenceRequest request : invalid.values()) {
        send(producer, avro, request.getRequestId(), request);
        expected.add(request.getRequestId());
      }
      producer.send(new ProducerRecord<>(topics.requests(), bytes(DemoSamples.GARBAGE_KEY), DemoSamples.GARBAGE));
      expected.add(DemoSamples.GARBAGE_KEY);
      producer.flush();
      out.printf("Sent %d sentences, a retry of %s, %d invalid requests and one record that is not Avro; waiting for the outcomes ...%n",
          DemoSamples.SENTENCES.size(), retried.getRequestId(), invalid.size());
      out.flush();
      boolean complete = await(outcomes, () -> expected.stream().allMatch(outcomes::answered));
      List<String> repeats = new ArrayList<>();
      if (complete) {
        for (int index : DemoSamples.REPEATED) {
          InferenceRequest repeat = DemoSamples.repeat(index, Instant.now());
          send(producer, avro, repeat.getRequestId(), repeat);
          repeats.add(repeat.getRequestId());
        }
        producer.flush();
        out.printf("Sent %d repeats of earlier sentences under new ids; waiting for them ...%n", repeats.size());
        out.flush();
        complete = await(outcomes, () -> repeats.stream().allMatch(outcomes::answered));
        // Long enough for a wrongly answered retry to show up as a second result.
        outcomes.poll(Duration.ofSeconds(1));
      }
      Instant end = Instant.now();
      DemoReport.Sent sent = new DemoReport.Sent(expected, repeats, invalid, retried.getRequestId());
      return new DemoReport(outcomes, sent, start, end).print(out) && complete;
    }
  }

  private void send(KafkaProducer<byte[], byte[]> producer, AvroSerializer<Object> avro, String key, InferenceRequest request) {
    producer.send(new ProducerRecord<>(topics.requests(), bytes(key), avro.serialize(topics.requests(), request)));
  }

  private static boolean await(Outcomes outcomes, BooleanSupplier done) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      outcomes.poll(Duration.ofMillis(100));
    }
    return true;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
