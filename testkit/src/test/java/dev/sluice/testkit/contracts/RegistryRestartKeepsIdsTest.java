package dev.sluice.testkit.contracts;

import static dev.sluice.testkit.contracts.EvolvedSchemas.optionalString;
import static dev.sluice.testkit.contracts.EvolvedSchemas.withField;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Feedback;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistry;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;
import dev.sluice.schemas.registry.RegisteredSchema;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroDeserializer;
import dev.sluice.schemas.serde.AvroSerdeConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.serde.SampleContracts;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;

/**
 * A registry started again on the same Kafka topic serves what the one before it registered. Each
 * test runs its own registries, on topics of their own, beside the fixture's registry, whose
 * topic they leave untouched.
 */
@RealKafka(schemaRegistry = true)
@TestInstance(Lifecycle.PER_CLASS)
class RegistryRestartKeepsIdsTest {
  private static final List<Registration> REGISTRATIONS = List.of(
      new Registration("restart.requests-value", InferenceRequest.getClassSchema()),
      new Registration("restart.requests-value",
          withField(InferenceRequest.getClassSchema(), optionalString("channel"))),
      new Registration("restart.results-value", InferenceResult.getClassSchema()));

  private final KafkaCluster kafka;
  private long fixtureSchemasEnd;

  RegistryRestartKeepsIdsTest(KafkaCluster kafka) {
    this.kafka = kafka;
  }

  @BeforeEach
  void noteTheEndOfTheFixturesSchemasTopic() throws Exception {
    fixtureSchemasEnd = endOffset(EmbeddedSchemaRegistryConfig.DEFAULT_TOPIC);
  }

  @AfterEach
  void leavesTheFixturesSchemasTopicUntouched() throws Exception {
    assertThat(endOffset(EmbeddedSchemaRegistryConfig.DEFAULT_TOPIC))
        .as("end offset of the fixture registry's topic")
        .isEqualTo(fixtureSchemasEnd);
  }

  @Test
  void registeringTheSameSchemasAfterARestartGivesTheSameIdsAndVersions() {
    EmbeddedSchemaRegistryConfig config = registryConfig("_schemas.restart-ids");
    List<RegisteredSchema> before = new ArrayList<>();
    try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(config);
        RestSchemaRegistryClient client = client(first.url())) {
      for (Registration registration : REGISTRATIONS) {
        client.register(registration.subject(), registration.schema());
        before.add(client.lookup(registration.subject(), registration.schema()));
      }
    }

    try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(config);
        RestSchemaRegistryClient client = client(second.url())) {
      assertThat(client.listSubjects())
          .containsExactlyInAnyOrder("restart.requests-value", "restart.results-value");
      for (RegisteredSchema registered : before) {
        assertThat(client.lookup(registered.subject(), registered.schema()))
            .isEqualTo(registered);
        assertThat(client.getById(registered.id())).isEqualTo(registered.schema());
      }
      for (RegisteredSchema registered : before) {
        assertThat(client.register(registered.subject(), registered.schema()))
            .isEqualTo(registered.id());
      }
      assertThat(client.listVersions("restart.requests-value")).containsExactly(1, 2);
      assertThat(client.register("restart.feedback-value", Feedback.getClassSchema()))
          .as("a schema new to the restarted registry gets an id never handed out before")
          .isGreaterThan(before.stream().mapToInt(RegisteredSchema::id).max().orElseThrow());
    }
  }

  @Test
  void deserializerOnTheRestartedRegistryDecodesRecordsWrittenBefore() throws Exception {
    EmbeddedSchemaRegistryConfig config = registryConfig("_schemas.restart-records");
    // One topic per contract: a topic's subject takes one record type (BACKWARD refuses others).
    Map<ContractTopic, List<SpecificRecord>> written = new LinkedHashMap<>();
    SampleContracts.all().map(Named::getPayload)
        .collect(Collectors.groupingBy(sample -> sample.getSchema().getName(), TreeMap::new,
            Collectors.toList()))
        .forEach((name, samples) -> written.put(
            ContractTopic.create(kafka, "restart.records." + name), samples));
    try (EmbeddedSchemaRegistry first = EmbeddedSchemaRegistry.start(config);
        RestSchemaRegistryClient client = client(first.url())) {
      for (Map.Entry<ContractTopic, List<SpecificRecord>> topic : written.entrySet()) {
        topic.getKey().send(new AvroSerializer<SpecificRecord>(client), topic.getValue());
      }
    }

    try (EmbeddedSchemaRegistry second = EmbeddedSchemaRegistry.start(config);
        RestSchemaRegistryClient client = client(second.url())) {
      AvroSerdeConfig specific = AvroSerdeConfig.defaults().withSpecificAvroReader(true);
      written.forEach((topic, samples) -> assertThat(
          topic.read(new AvroDeserializer<SpecificRecord>(null, client, specific), samples.size()))
          .as(topic.name())
          .extracting(ConsumerRecord::value)
          .containsExactlyElementsOf(samples));
    }
  }

  /** A registry of our own on the fixture's cluster, keeping its schemas in {@code topic}. */
  private EmbeddedSchemaRegistryConfig registryConfig(String topic) {
    return EmbeddedSchemaRegistryConfig.defaults(kafka.bootstrapServers())
        .withPort(0)
        .withTopic(topic);
  }

  private long endOffset(String topic) throws Exception {
    TopicPartition partition = new TopicPartition(topic, 0);
    try (Admin admin = Admin.create(kafka.adminClientProperties())) {
      return admin.listOffsets(Map.of(partition, OffsetSpec.latest())).partitionResult(partition)
          .get(ContractTopic.DEADLINE.toMillis(), TimeUnit.MILLISECONDS).offset();
    }
  }

  private static RestSchemaRegistryClient client(String url) {
    return new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(url));
  }

  private record Registration(String subject, Schema schema) {}
}
