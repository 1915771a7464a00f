package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.avro.InferenceRequest;
import dev.sluice.avro.InferenceResult;
import dev.sluice.avro.Status;
import dev.sluice.avro.TextInput;
import dev.sluice.cli.Sluice;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.gateway.GatewayService;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistry;
import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;
import dev.sluice.schemas.registry.RestSchemaRegistryClient;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.serde.AvroSerializer;
import dev.sluice.schemas.topics.PipelineTopics;
import dev.sluice.schemas.topics.ValueContract;
import dev.sluice.platform.topics.Outcomes;
import dev.sluice.topology.app.StreamsService;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.ingress.IngressService;
import dev.sluice.topology.monitor.MonitorConfig;
import dev.sluice.topology.monitor.MonitorService;
import dev.sluice.worker.WorkerConfig;
import dev.sluice.worker.WorkerService;
import dev.sluice.worker.runtime.DjlModelLoader;
import dev.sluice.worker.runtime.RuntimeConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The KafkaUsers' ACLs are enough to run the pipeline, not only no more than the code uses: a real
 * broker that authenticates with SCRAM-SHA-512 and denies whatever no ACL allows, given exactly the
 * ACLs of the base's KafkaUsers, runs the registry, the model registration, the ingress, the
 * monitor, a worker with the real model and the HTTP gateway, each logged in as its own user with
 * the settings its Deployment or StatefulSet gives it; requests come out as results and snapshots,
 * an HTTP call is answered and audited, the MCP tools at the gateway's /mcp read what they report,
 * and a user reaching beyond its ACLs is refused: the gateway's writing the model registry too,
 * until the opt-in component mcp-writes grants it.
 */
class KafkaUsersOnAnAuthorizingBrokerTest {
  private static final Duration WAIT = Duration.ofSeconds(120);

  @Test
  @Timeout(300)
  void everyComponentRunsWithOnlyItsKafkaUsersAcls(@TempDir Path dir) throws Exception {
    Rendered base = Manifests.render("base");
    try (SecuredBroker broker = SecuredBroker.start(dir.resolve("kafka"), base);
         EmbeddedSchemaRegistry registry = EmbeddedSchemaRegistry.start(
             EmbeddedSchemaRegistryConfig.defaults(broker.bootstrapServers()).withPort(0)
                 .withClientProperties(strings(broker.login(user(base, "registry")))))) {
      List<AutoCloseable> running = new ArrayList<>();
      try {
        registerTheSchemas(base, registry);
        registerTheModel(base, broker, registry, dir);
        running.add(ingress(base, broker, registry, dir));
        running.add(monitor(base, broker, registry, dir));
        running.add(worker(base, broker, registry, dir));
        GatewayService gateway = gateway(base, broker, registry);
        running.add(gateway);

        PipelineTopics topics = PipelineTopics.defaults();
        try (RestSchemaRegistryClient schemas = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(registry.url()));
             KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(broker.admin(), new ByteArraySerializer(), new ByteArraySerializer());
             Outcomes outcomes = new Outcomes(broker.admin(), topics, schemas);
             KafkaConsumer<byte[], byte[]> snapshots = readCommitted(broker.admin(), topics.metrics())) {
          snapshots.assign(snapshots.partitionsFor(topics.metrics()).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
          AvroSerializer<Object> avro = new AvroSerializer<>(schemas);
          List<String> ids = new ArrayList<>();
          long deadline = System.nanoTime() + WAIT.toNanos();
          boolean snapshot = false;
          for (int i = 0; (!snapshot || !ids.stream().allMatch(outcomes::answered)) && System.nanoTime() < deadline; i++) {
            if (i < 40) {
              String id = "acl-" + i;
              InferenceRequest request = InferenceRequest.newBuilder().setRequestId(id).setModel("minilm").setTenant("acl")
                  .setCreatedAt(Instant.now()).setInput(new TextInput("Kafka keeps an ordered log, request " + i)).build();
              producer.send(new ProducerRecord<>(topics.requests(), id.getBytes(StandardCharsets.UTF_8), avro.serialize(topics.requests(), request)));
              producer.flush();
              ids.add(id);
            }
            outcomes.poll(Duration.ofMillis(250));
            snapshot |= !snapshots.poll(Duration.ofMillis(50)).isEmpty();
          }
          assertThat(ids.stream().filter(id -> !outcomes.answered(id)).toList()).as("requests without an outcome").isEmpty();
          for (String id : ids) {
            assertThat(outcomes.results(id)).as(id).hasSize(1);
            InferenceResult result = outcomes.results(id).get(0).value();
            assertThat(result.getStatus()).as(id).isEqualTo(Status.OK);
          }
          assertThat(snapshot).as("the monitor wrote a snapshot on " + topics.metrics()).isTrue();
        }

        assertTheGatewayAnswersAndAudits(gateway, broker);
        try (GatewayMcpChecks mcp = new GatewayMcpChecks(gateway)) {
          mcp.readsSucceed("minilm", GatewayConfig.parse(base.running("gateway").get(0).componentSettings()).mcp().ingressGroup(),
              WorkerConfig.parse(base.running("worker").get(0).componentSettings()).groupId());
        }
        assertTheMcpToolsChangeTrafficOnlyWithTheOptInsAcls(base, broker, registry, dir);
        assertKedaCanReadTheLagItScalesOn(base, broker);
        try (KafkaConsumer<byte[], byte[]> intruder = readCommitted(broker.login(user(base, "worker")), PipelineTopics.defaults().requests())) {
          intruder.assign(List.of(new TopicPartition(PipelineTopics.defaults().requests(), 0)));
          assertThatThrownBy(() -> intruder.poll(Duration.ofSeconds(10))).as("a worker may not read the requests")
              .isInstanceOf(TopicAuthorizationException.class);
        }
      } finally {
        for (int i = running.size() - 1; i >= 0; i--) {
          running.get(i).close();
        }
      }
    }
  }

  /**
   * An HTTP call through the gateway, logged in as its own user: it writes the requests and its
   * audit event, reads the model registry and its partition of the replies, which the ingress and
   * the worker, as their users, wrote.
   */
  private static void assertTheGatewayAnswersAndAudits(GatewayService gateway, SecuredBroker broker) throws Exception {
    HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + gateway.port() + "/v1/embeddings"))
        .header("Authorization", "Bearer " + SecretStandIns.API_KEY).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"minilm\",\"input\":[\"over HTTP\",\"with ACLs\"]}")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = new ObjectMapper().readTree(response.body());
    assertThat(body.path("data")).hasSize(2);
    assertThat(body.path("data").get(1).path("embedding")).hasSize(384);
    assertThat(body.path("usage").path("prompt_tokens").asInt()).isPositive();
    String audit = PipelineTopics.defaults().audit();
    try (KafkaConsumer<byte[], byte[]> events = readCommitted(broker.admin(), audit)) {
      events.assign(events.partitionsFor(audit).stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList());
      int read = 0;
      long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
      while (read == 0 && System.nanoTime() < deadline) {
        read += events.poll(Duration.ofMillis(250)).count();
      }
      assertThat(read).as("audit events on " + audit).isPositive();
    }
  }

  /**
   * A gateway that allows the MCP tools' writes (the component mcp-writes) but whose user has only
   * the base's ACLs: set_traffic is refused by the broker; once the component's ACLs are granted,
   * the same call writes the model registry.
   */
  private static void assertTheMcpToolsChangeTrafficOnlyWithTheOptInsAcls(Rendered base, SecuredBroker broker,
      EmbeddedSchemaRegistry registry, Path dir) throws Exception {
    // a second version to move traffic to, deployed as the operator does; no worker can load it, none needs to
    operatorCommand(base, broker, registry, dir, List.of("models", "deploy", "--model", "minilm", "--version", "v2",
        "--artifact", "file:/nowhere/v2", "--no-artifact-check"));
    Rendered withWrites = Manifests.render("mcp-writes");
    try (GatewayService writer = gateway(withWrites, broker, registry); GatewayMcpChecks mcp = new GatewayMcpChecks(writer)) {
      CallToolResult refused = mcp.setTraffic("minilm", Map.of("v1", 90, "v2", 10), Duration.ZERO);
      assertThat(refused.isError()).as(GatewayMcpChecks.text(refused)).isTrue();
      assertThat(GatewayMcpChecks.text(refused)).contains("Not authorized to access topics: [sluice.models]");

      broker.grant(withWrites, user(withWrites, "gateway"));
      CallToolResult written = mcp.setTraffic("minilm", Map.of("v1", 90, "v2", 10), Duration.ofSeconds(30));
      assertThat(written.isError()).as(GatewayMcpChecks.text(written)).isFalse();
      assertThat(GatewayMcpChecks.text(written)).startsWith("Written.");
    }
  }

  /** What KEDA's kafka scaler asks: a group's committed offsets and the topic's end offsets, as the KEDA user. */
  private static void assertKedaCanReadTheLagItScalesOn(Rendered base, SecuredBroker broker) throws Exception {
    try (Admin keda = Admin.create(broker.login(Manifests.name(AutoscalingTest.kedaUser(base))))) {
      for (JsonNode scaled : base.ofKind("ScaledObject")) {
        JsonNode trigger = scaled.path("spec").path("triggers").get(0).path("metadata");
        String topic = trigger.path("topic").asText();
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        keda.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions()
            .forEach(partition -> ends.put(new TopicPartition(topic, partition.partition()), OffsetSpec.latest()));
        assertThat(keda.listOffsets(ends).all().get()).as(topic).hasSize(ends.size());
        keda.listConsumerGroupOffsets(trigger.path("consumerGroup").asText()).partitionsToOffsetAndMetadata().get();
      }
    }
  }

  /** The schemas Job, against this registry: every value subject holds its contract before any component runs. */
  private static void registerTheSchemas(Rendered base, EmbeddedSchemaRegistry registry) {
    Workload job = base.running("schemas register").get(0);
    List<String> args = new ArrayList<>(job.args());
    args.addAll(List.of("--schema-registry-url", registry.url()));
    assertThat(Sluice.commandLine().execute(args.toArray(String[]::new))).as("sluice " + String.join(" ", job.args())).isZero();
    try (RestSchemaRegistryClient schemas = new RestSchemaRegistryClient(SchemaRegistryClientConfig.forUrl(registry.url()))) {
      for (ValueContract contract : PipelineTopics.defaults().valueContracts(List.of("minilm"))) {
        assertThat(schemas.getLatest(contract.subject()).schema()).as(contract.subject()).isEqualTo(contract.schema());
      }
    }
  }

  private static void registerTheModel(Rendered base, SecuredBroker broker, EmbeddedSchemaRegistry registry, Path dir) throws Exception {
    operatorCommand(base, broker, registry, dir, base.running("models deploy").get(0).args());
  }

  /** A sluice command as the operator's user runs it (the register Job's login), against this broker and registry. */
  private static void operatorCommand(Rendered base, SecuredBroker broker, EmbeddedSchemaRegistry registry, Path dir, List<String> command)
      throws Exception {
    Path login = dir.resolve("operator.properties");
    StringBuilder properties = new StringBuilder();
    broker.login(user(base, "models deploy")).forEach((key, value) -> {
      if (!key.equals("bootstrap.servers")) {
        properties.append(key).append('=').append(String.valueOf(value).replace("\\", "\\\\")).append('\n');
      }
    });
    Files.writeString(login, properties);
    List<String> args = new ArrayList<>(command);
    args.addAll(List.of("--bootstrap-servers", broker.bootstrapServers(), "--schema-registry-url", registry.url(), "--command-config", login.toString()));
    assertThat(Sluice.commandLine().execute(args.toArray(String[]::new))).as("sluice " + String.join(" ", command)).isZero();
  }

  private static StreamsService ingress(Rendered base, SecuredBroker broker, EmbeddedSchemaRegistry registry, Path dir) throws Exception {
    Map<String, String> settings = settings(base, "ingress", broker, registry);
    settings.put("state.dir", dir.resolve("ingress").toString());
    return IngressService.start(IngressService.withRequestPartitions(IngressConfig.parse(settings), WAIT));
  }

  private static StreamsService monitor(Rendered base, SecuredBroker broker, EmbeddedSchemaRegistry registry, Path dir) throws Exception {
    Map<String, String> settings = settings(base, "monitor", broker, registry);
    settings.put("state.dir", dir.resolve("monitor").toString());
    return MonitorService.start(MonitorConfig.parse(settings));
  }

  private static WorkerService worker(Rendered base, SecuredBroker broker, EmbeddedSchemaRegistry registry, Path dir) throws Exception {
    Map<String, String> settings = settings(base, "worker", broker, registry);
    settings.put(RuntimeConfig.SCRATCH_DIR, dir.resolve("scratch").toString());
    return WorkerService.start(WorkerConfig.parse(settings), new DjlModelLoader(RuntimeConfig.from(settings)),
        new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /** The gateway as its StatefulSet's pod 0 runs it, on loopback in plain HTTP (its TLS is another test's). */
  private static GatewayService gateway(Rendered base, SecuredBroker broker, EmbeddedSchemaRegistry registry) throws Exception {
    Map<String, String> settings = new HashMap<>(base.running("gateway").get(0).componentSettings());
    settings.keySet().removeIf(key -> key.startsWith("ssl.") || key.startsWith("gateway.tls."));
    strings(broker.login(user(base, "gateway"))).forEach(settings::put);
    settings.put("schema.registry.url", registry.url());
    settings.put(GatewayConfig.HOST, "127.0.0.1");
    settings.put(GatewayConfig.PORT, "0");
    settings.put(GatewayConfig.OPS_PORT, "0");
    return GatewayService.start(GatewayConfig.parse(settings), new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * What the component's Deployment gives it, pointed at this broker and registry: its own login,
   * SASL without TLS (this broker has no certificates), one replica for internal topics, HTTP on
   * a free port.
   */
  private static Map<String, String> settings(Rendered base, String command, SecuredBroker broker, EmbeddedSchemaRegistry registry) {
    Workload workload = base.running(command).get(0);
    Map<String, String> settings = new HashMap<>(workload.componentSettings());
    settings.keySet().removeIf(key -> key.startsWith("ssl."));
    strings(broker.login(user(base, command))).forEach(settings::put);
    settings.put("schema.registry.url", registry.url());
    settings.put("replication.factor", "1");
    settings.put(command + ".http.port", "0");
    return settings;
  }

  /** The KafkaUser a component's Deployment (or Job) logs in as. */
  private static String user(Rendered base, String command) {
    return Manifests.name(KafkaResourcesTest.user(base, base.running(command).get(0)));
  }

  /** A group-less read_committed consumer; the caller assigns partitions. */
  private static KafkaConsumer<byte[], byte[]> readCommitted(Map<String, Object> login, String topic) {
    Map<String, Object> props = new HashMap<>(login);
    props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "acl-test-" + topic);
    return new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static Map<String, String> strings(Map<String, Object> props) {
    Map<String, String> strings = new HashMap<>();
    props.forEach((key, value) -> strings.put(key, String.valueOf(value)));
    return strings;
  }
}
