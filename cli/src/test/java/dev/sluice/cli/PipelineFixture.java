package dev.sluice.cli;

import dev.sluice.platform.topics.TopicProvisioner;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.TopicSettings;
import dev.sluice.testkit.KafkaCluster;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** A pipeline's topics under a fresh prefix on a test cluster, and raw access to them. */
public final class PipelineFixture implements AutoCloseable {
  private static final AtomicInteger PREFIXES = new AtomicInteger();

  final KafkaCluster kafka;
  public final PipelineTopics topics;
  final SchemaRegistryClient registry;

  private PipelineFixture(KafkaCluster kafka, String prefix) {
    this.kafka = kafka;
    this.topics = new PipelineTopics(prefix);
    this.registry = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(kafka.schemaRegistryUrl()));
  }

  /** Topics under a new prefix starting with the name, created (one partition each, the model's too). */
  public static PipelineFixture create(KafkaCluster kafka, String name, String... models) throws InterruptedException {
    PipelineFixture fixture = named(kafka, name);
    try (Admin admin = Admin.create(kafka.adminClientProperties())) {
      new TopicProvisioner(admin, Duration.ofSeconds(30)).ensure(fixture.topics.specs(new TopicSettings(1, (short) 1, 1, TopicSettings.DEFAULT_RETENTION_MS), List.of(models)));
    }
    return fixture;
  }

  /** A new prefix starting with the name, no topics created. */
  public static PipelineFixture named(KafkaCluster kafka, String name) {
    return new PipelineFixture(kafka, name + PREFIXES.incrementAndGet());
  }

  public String prefix() {
    return topics.prefix();
  }

  /** The cluster options of the commands: --bootstrap-servers, --schema-registry-url, --prefix. */
  public String[] options() {
    return new String[] {"--bootstrap-servers", kafka.bootstrapServers(), "--schema-registry-url", kafka.schemaRegistryUrl(), "--prefix", prefix()};
  }

  /** The arguments followed by the cluster options. */
  public String[] with(String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of(options()));
    return all.toArray(String[]::new);
  }

  /** Produces Avro values (null for a tombstone) under the keys, and waits for them. */
  public void produce(String topic, Map<String, ? extends SpecificRecord> values) throws Exception {
    AvroSerializer<SpecificRecord> serializer = new AvroSerializer<>(registry);
    Map<String, byte[]> raw = new LinkedHashMap<>();
    values.forEach((key, value) -> raw.put(key, serializer.serialize(topic, value)));
    produceRaw(topic, raw);
  }

  /** Produces raw values under the keys, in order, and waits for them. */
  public void produceRaw(String topic, Map<String, byte[]> values) throws Exception {
    Map<String, Object> props = new HashMap<>(kafka.adminClientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer())) {
      for (Map.Entry<String, byte[]> entry : values.entrySet()) {
        producer.send(new ProducerRecord<>(topic, entry.getKey(), entry.getValue())).get();
      }
    }
  }

  /** Every record of a topic, read from the beginning to its end. */
  public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    Map<String, Object> props = new HashMap<>(kafka.adminClientProperties());
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
        consumer.poll(Duration.ofMillis(100)).forEach(records::add);
      }
    }
    return records;
  }

  /** Decodes a value of the given type. */
  public <T> T decode(Class<T> type, String topic, byte[] value) {
    return new AvroDeserializer<>(type, registry).deserialize(topic, value);
  }

  /** A local port nothing listens on. */
  public static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Override
  public void close() {
    registry.close();
  }
}
