package dev.sluice.bench;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes a round's requests to the requests topic before anything is timed, the way an upstream
 * producer would (Confluent wire format through the registry), and waits until the topic holds
 * them all.
 */
final class RequestLoader {
  private static final Duration WRITTEN_TIMEOUT = Duration.ofSeconds(60);

  private final BenchmarkCluster cluster;
  private final SchemaRegistryClient registry;

  RequestLoader(BenchmarkCluster cluster, SchemaRegistryClient registry) {
    this.cluster = cluster;
    this.registry = registry;
  }

  /**
   * Produces {@code count} requests from the workload to the topic.
   *
   * @return what the ingress must make of them
   * @throws IllegalStateException when a send fails or the topic does not reach the count in time
   */
  WorkloadExpectations load(String topic, Workload workload, long count) throws InterruptedException {
    Map<String, Object> config = cluster.producerConfig("sluice-bench-loader");
    long before = cluster.endOffsetSum(topic);
    AtomicReference<Exception> failure = new AtomicReference<>();
    try (KafkaProducer<byte[], InferenceRequest> producer = new KafkaProducer<>(config, new ByteArraySerializer(), new AvroSerializer<>(registry))) {
      for (long i = 0; i < count && failure.get() == null; i++) {
        GeneratedRequest next = workload.next();
        producer.send(new ProducerRecord<>(topic, next.key(), next.request()), (metadata, e) -> {
          if (e != null) {
            failure.compareAndSet(null, e);
          }
        });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("Failed to write the requests to " + topic + ": " + failure.get().getMessage(), failure.get());
    }
    long deadline = System.nanoTime() + WRITTEN_TIMEOUT.toNanos();
    long written = cluster.endOffsetSum(topic) - before;
    while (written < count) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Only " + written + " of " + count + " requests reached " + topic + " within " + WRITTEN_TIMEOUT);
      }
      Thread.sleep(100);
      written = cluster.endOffsetSum(topic) - before;
    }
    return workload.expectations();
  }
}
