package dev.sluice.local.kafka;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.local.kafka.LocalKafkaException.Reason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalKafkaBrokerTest {
  private static final Duration DEADLINE = Duration.ofSeconds(30);

  @TempDir Path dataDir;

  @Test
  void producesAndConsumesThroughAConsumerGroupOnEphemeralPorts() throws Exception {
    LocalKafkaBroker kafka = LocalKafkaBroker.start(LocalKafkaConfig.ephemeral(dataDir));
    int port;
    try (kafka) {
      port = kafka.brokerPort();
      assertThat(port).isPositive();
      assertThat(kafka.controllerPort()).isPositive().isNotEqualTo(port);
      assertThat(kafka.bootstrapServers()).isEqualTo("localhost:" + port);
      assertThat(kafka.formattedOnStart()).isTrue();
      createTopic(kafka, "greetings", 3);

      List<String> sent = List.of("hello", "bonjour", "hallo", "ciao");
      produce(kafka, "greetings", sent);

      assertThat(consume(kafka, "greetings", sent.size(), "greeters"))
          .containsExactlyInAnyOrderElementsOf(sent);
    }
    kafka.close();

    assertThat(kafka.isRunning()).isFalse();
    assertPortIsFree(port);
  }

  @Test
  void keepsRecordsAndClusterIdAcrossARestartOnTheSameDirectory() throws Exception {
    LocalKafkaConfig config = LocalKafkaConfig.ephemeral(dataDir);
    List<String> sent = List.of("first", "second", "third");
    String clusterId;
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start(config)) {
      clusterId = kafka.clusterId();
      createTopic(kafka, "durable", 1);
      produce(kafka, "durable", sent);
    }

    try (LocalKafkaBroker kafka = LocalKafkaBroker.start(config)) {
      assertThat(kafka.formattedOnStart()).isFalse();
      assertThat(kafka.clusterId()).isEqualTo(clusterId);
      assertThat(consume(kafka, "durable", sent.size(), "after-restart"))
          .containsExactlyElementsOf(sent);
    }
  }

  @Test
  void refusesSecondBrokerOnDataDirectoryInUse() {
    try (LocalKafkaBroker kafka = LocalKafkaBroker.start(LocalKafkaConfig.ephemeral(dataDir))) {
      LocalKafkaException e = catchThrowableOfType(LocalKafkaException.class,
          () -> LocalKafkaBroker.start(LocalKafkaConfig.ephemeral(dataDir)));

      assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_IN_USE);
      assertThat(e).hasMessageContaining("in use by another Kafka broker");
      assertThat(kafka.isRunning()).isTrue();
    }
  }

  @Test
  void reportsTakenBrokerPortWithWhatToDo() throws IOException {
    try (ServerSocket taken = new ServerSocket()) {
      taken.bind(new InetSocketAddress(InetAddress.getByName("localhost"), 0));
      int port = taken.getLocalPort();

      LocalKafkaException e = catchThrowableOfType(LocalKafkaException.class,
          () -> LocalKafkaBroker.start(LocalKafkaConfig.ephemeral(dataDir).withBrokerPort(port)));

      assertThat(e.reason()).isEqualTo(Reason.PORT_IN_USE);
      assertThat(e).hasMessage("Port " + port + " on localhost (broker.port) is already in use. "
          + "Stop the process that holds it, or choose another port with broker.port "
          + "(0 picks a free one).");
    }
  }

  @Test
  void reportsDataDirectoryThatCannotBeCreated() throws IOException {
    Path file = Files.writeString(dataDir.resolve("not-a-directory"), "x");

    LocalKafkaException e = catchThrowableOfType(LocalKafkaException.class,
        () -> LocalKafkaBroker.start(LocalKafkaConfig.ephemeral(file)));

    assertThat(e.reason()).isEqualTo(Reason.DATA_DIR_NOT_WRITABLE);
    assertThat(e).hasMessageStartingWith("Cannot write to data directory " + file)
        .hasMessageEndingWith("Fix its permissions or choose another directory with data.dir.");
  }

  @Test
  void refusesDataDirectoryFormattedForAnotherCluster() throws IOException {
    LocalKafkaConfig config =
        LocalKafkaConfig.ephemeral(dataDir).withClusterId("MkU3OEVBNTcwNTJENDM2Qg");
    Files.createDirectories(config.logDirectory());
    Files.writeString(config.logDirectory().resolve("meta.properties"),
        "version=1\ncluster.id=AAAAAAAAAAAAAAAAAAAAAA\nnode.id=1\n");

    LocalKafkaException e = catchThrowableOfType(LocalKafkaException.class,
        () -> LocalKafkaBroker.start(config));

    assertThat(e.reason()).isEqualTo(Reason.CLUSTER_ID_MISMATCH);
    assertThat(e).hasMessage("Data directory " + config.logDirectory().toAbsolutePath()
        + " was formatted for cluster AAAAAAAAAAAAAAAAAAAAAA, but cluster.id is "
        + "MkU3OEVBNTcwNTJENDM2Qg. Remove cluster.id to keep the existing cluster, or point "
        + "data.dir at an empty directory for a new one.");
  }

  private static void createTopic(LocalKafkaBroker kafka, String topic, int partitions)
      throws ExecutionException, InterruptedException {
    try (Admin admin = Admin.create(kafka.clientProperties())) {
      admin.createTopics(Set.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }
  }

  private static void produce(LocalKafkaBroker kafka, String topic, List<String> values)
      throws ExecutionException, InterruptedException {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ProducerConfig.ACKS_CONFIG, "all");
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value, value)).get();
      }
    }
  }

  private static List<String> consume(LocalKafkaBroker kafka, String topic, int expected,
      String group) {
    Map<String, Object> props = new HashMap<>(kafka.clientProperties());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    List<String> values = new ArrayList<>();
    long deadline = System.nanoTime() + DEADLINE.toNanos();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      while (values.size() < expected && System.nanoTime() < deadline) {
        for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
          values.add(record.value());
        }
      }
    }
    return values;
  }

  private static void assertPortIsFree(int port) throws IOException {
    try (ServerSocket again = new ServerSocket()) {
      again.bind(new InetSocketAddress(InetAddress.getByName("localhost"), port));
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }
}
