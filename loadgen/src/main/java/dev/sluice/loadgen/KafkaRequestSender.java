package dev.sluice.loadgen;

import dev.sluice.avro.InferenceRequest;
import dev.sluice.schemas.serde.AvroSerializer;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces requests onto the requests topic, keyed by request id, idempotently. Every wait is
 * bounded: a send blocks at most {@value #MAX_BLOCK_MS} ms, a record fails after
 * {@value #DELIVERY_TIMEOUT_MS} ms.
 */
public final class KafkaRequestSender implements RequestSender {
  static final int MAX_BLOCK_MS = 10_000;
  static final int DELIVERY_TIMEOUT_MS = 30_000;

  private final KafkaProducer<String, InferenceRequest> producer;
  private final String topic;

  /** A producer for the target's requests topic. */
  public KafkaRequestSender(BenchTarget target, String clientId) {
    Map<String, Object> props = new HashMap<>(target.clientProperties());
    props.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    props.putIfAbsent(ProducerConfig.LINGER_MS_CONFIG, 5);
    props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, MAX_BLOCK_MS);
    props.putIfAbsent(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 15_000);
    props.putIfAbsent(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, DELIVERY_TIMEOUT_MS);
    this.producer = new KafkaProducer<>(props, new StringSerializer(), new AvroSerializer<InferenceRequest>(target.registry()));
    this.topic = target.topics().requests();
  }

  @Override
  public void send(InferenceRequest request, Consumer<Exception> onFailure) {
    producer.send(new ProducerRecord<>(topic, request.getRequestId(), request), (metadata, error) -> {
      if (error != null) {
        onFailure.accept(error);
      }
    });
  }

  @Override
  public void flush() {
    producer.flush();
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
