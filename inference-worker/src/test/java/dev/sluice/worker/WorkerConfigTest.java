package dev.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class WorkerConfigTest {
  private static final Map<String, String> REQUIRED = Map.of(
      "bootstrap.servers", "kafka:9092", "schema.registry.url", "http://registry:8081", "worker.model", "minilm");

  private static Map<String, String> with(Map<String, String> extra) {
    Map<String, String> properties = new HashMap<>(REQUIRED);
    properties.putAll(extra);
    return properties;
  }

  @Test
  void fillsInTheDefaults() {
    WorkerConfig config = WorkerConfig.parse(REQUIRED);

    assertThat(config.inferenceTopic()).isEqualTo("sluice.inference.minilm");
    assertThat(config.groupId()).isEqualTo("sluice-worker-minilm");
    assertThat(config.workerId()).matches("[a-zA-Z0-9._-]+-\\d+");
    assertThat(config.transactionalId()).isEqualTo("sluice-worker-minilm-" + config.workerId());
    assertThat(config.flushPolicy().maxRecords()).isEqualTo(128);
    assertThat(config.flushPolicy().maxDelay()).isEqualTo(Duration.ofMillis(10));
    assertThat(config.flushPolicy().bucketing()).isTrue();
    assertThat(config.inflightMax()).isEqualTo(512);
    assertThat(config.httpPort()).isEqualTo(8091);
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.transactionTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.retry()).isEqualTo(new RetryPolicy(Duration.ofMillis(100), Duration.ofSeconds(5), 10));
  }

  @Test
  void failsOverWithinSecondsWithCooperativeRebalancesAndAStaticMemberOnlyForASetWorkerId() {
    Map<String, Object> dynamic = WorkerConfig.parse(REQUIRED).consumerProperties();
    assertThat(dynamic).containsEntry("session.timeout.ms", "6000").containsEntry("heartbeat.interval.ms", "2000")
        .containsEntry("partition.assignment.strategy", "org.apache.kafka.clients.consumer.CooperativeStickyAssignor")
        .doesNotContainKey("group.instance.id");

    assertThat(WorkerConfig.parse(with(Map.of("worker.id", "pod-0"))).consumerProperties()).containsEntry("group.instance.id", "pod-0");
    assertThat(WorkerConfig.parse(with(Map.of("worker.id", "pod-0", "consumer.session.timeout.ms", "30000"))).consumerProperties())
        .containsEntry("session.timeout.ms", "30000");
  }

  @Test
  void leavesSessionsAndAssignmentToTheBrokerUnderTheNewGroupProtocol() {
    Map<String, Object> props = WorkerConfig.parse(with(Map.of("worker.id", "pod-0", "consumer.group.protocol", "consumer")))
        .consumerProperties();

    assertThat(props).containsEntry("group.protocol", "consumer").containsEntry("group.instance.id", "pod-0")
        .doesNotContainKeys("session.timeout.ms", "heartbeat.interval.ms", "partition.assignment.strategy");
    // Kafka's own check: the consumer's configuration accepts it.
    assertThat(new org.apache.kafka.clients.consumer.ConsumerConfig(withDeserializers(props)).getString("group.protocol"))
        .isEqualTo("consumer");
  }

  private static Map<String, Object> withDeserializers(Map<String, Object> props) {
    Map<String, Object> all = new java.util.HashMap<>(props);
    all.put("key.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
    all.put("value.deserializer", org.apache.kafka.common.serialization.ByteArrayDeserializer.class.getName());
    return all;
  }

  @Test
  void reportsEveryProblemAtOnceInKafkasWords() {
    Map<String, String> properties = Map.of("schema.registry.url", "http://registry:8081",
        "worker.flush.max.records", "0", "worker.batch.max.delay.ms", "soon", "worker.batch.bucketing", "maybe",
        "worker.http.port", "70000", "worker.id", "a b", "worker.bacth.max.size", "8",
        "consumer.isolation.level", "read_uncommitted", "producer.transactional.id", "mine");

    assertThatThrownBy(() -> WorkerConfig.parse(properties)).isInstanceOf(ConfigException.class).hasMessage(String.join("\n",
        "Missing required configuration \"bootstrap.servers\" which has no default value.",
        "Missing required configuration \"worker.model\" which has no default value.",
        "Invalid value a b for configuration worker.id: must use only letters, digits, '.', '_' and '-'",
        "Invalid value 0 for configuration worker.flush.max.records: must be >= 1",
        "Invalid value soon for configuration worker.batch.max.delay.ms: Not a number of type LONG",
        "Invalid value maybe for configuration worker.batch.bucketing: Expected value to be either true or false",
        "Invalid value 70000 for configuration worker.http.port: must be <= 65535",
        "Invalid value read_uncommitted for configuration consumer.isolation.level: set by the worker itself (exactly-once relies on it)",
        "Invalid value mine for configuration producer.transactional.id: set by the worker itself (exactly-once relies on it)",
        "Invalid value 8 for configuration worker.bacth.max.size: unknown worker configuration"));
  }

  @Test
  void boundsInflightWorkByTheFlushSize() {
    assertThatThrownBy(() -> WorkerConfig.parse(with(Map.of("worker.flush.max.records", "16", "worker.inflight.max", "8"))))
        .hasMessage("Invalid value 8 for configuration worker.inflight.max: must be >= worker.flush.max.records (16)");
    assertThat(WorkerConfig.parse(with(Map.of("worker.flush.max.records", "16"))).inflightMax()).isEqualTo(64);
  }

  @Test
  void stillReadsTheFormerBatchMaxSizeKeyWithAWarningNamingTheNewKey() {
    List<String> warnings = warningsWhile(() -> {
      WorkerConfig config = WorkerConfig.parse(with(Map.of("worker.batch.max.size", "16")));
      assertThat(config.flushPolicy().maxRecords()).isEqualTo(16);
      assertThat(config.inflightMax()).isEqualTo(64);
    });

    assertThat(warnings).containsExactly("worker.batch.max.size is deprecated; use worker.flush.max.records instead");
    assertThatThrownBy(() -> WorkerConfig.parse(with(Map.of("worker.batch.max.size", "0"))))
        .hasMessage("Invalid value 0 for configuration worker.batch.max.size: must be >= 1");
  }

  @Test
  void theNewFlushKeyWinsOverTheFormerOneWhenBothAreSet() {
    List<String> warnings = warningsWhile(() -> assertThat(WorkerConfig.parse(
        with(Map.of("worker.batch.max.size", "16", "worker.flush.max.records", "32"))).flushPolicy().maxRecords()).isEqualTo(32));

    assertThat(warnings).containsExactly("worker.batch.max.size is deprecated and ignored: worker.flush.max.records is set too and wins");
  }

  @Test
  void theNewFlushKeyAloneIsReadWithoutWarnings() {
    List<String> warnings = warningsWhile(() -> assertThat(WorkerConfig.parse(with(Map.of("worker.flush.max.records", "8")))
        .flushPolicy().maxRecords()).isEqualTo(8));

    assertThat(warnings).isEmpty();
  }

  /** The WARN lines the configuration reader logs while the action runs. */
  private static List<String> warningsWhile(Runnable action) {
    Logger logger = (Logger) LoggerFactory.getLogger(WorkerConfigReader.class);
    ListAppender<ILoggingEvent> appender = new ListAppender<>();
    appender.start();
    logger.addAppender(appender);
    try {
      action.run();
    } finally {
      logger.detachAppender(appender);
    }
    return appender.list.stream().filter(event -> event.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void leavesTheModelRuntimeKeysToTheRuntime() {
    assertThat(WorkerConfig.parse(with(Map.of("worker.model.device", "cpu", "worker.model.predictors", "2"))).model()).isEqualTo("minilm");
  }

  @Test
  void buildsExactlyOnceClientSettingsWithTlsAndOverridesPassedThrough() {
    WorkerConfig config = WorkerConfig.parse(with(Map.of("worker.id", "pod-0", "security.protocol", "SASL_SSL",
        "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/etc/tls/ca.p12", "consumer.max.poll.records", "64",
        "producer.linger.ms", "2", "worker.transaction.timeout.ms", "30000", "schema.registry.retries", "5")));

    assertThat(config.consumerProperties()).containsEntry("bootstrap.servers", "kafka:9092").containsEntry("group.id", "sluice-worker-minilm")
        .containsEntry("isolation.level", "read_committed").containsEntry("enable.auto.commit", "false")
        .containsEntry("max.poll.records", "64").containsEntry("client.id", "pod-0-consumer")
        .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/etc/tls/ca.p12").doesNotContainKey("schema.registry.retries");
    assertThat(config.producerProperties()).containsEntry("transactional.id", "sluice-worker-minilm-pod-0")
        .containsEntry("enable.idempotence", "true").containsEntry("acks", "all").containsEntry("transaction.timeout.ms", "30000")
        .containsEntry("linger.ms", "2").containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("max.poll.records");
    assertThat(config.registryReaderProperties()).containsEntry("security.protocol", "SASL_SSL").doesNotContainKey("group.id");
    assertThat(config.registry().retries()).isEqualTo(5);
  }

  @Test
  void backsOffExponentiallyUpToTheMaximum() {
    RetryPolicy retry = new RetryPolicy(Duration.ofMillis(100), Duration.ofMillis(500), 5);

    assertThat(retry.delayAfter(1)).isEqualTo(Duration.ofMillis(100));
    assertThat(retry.delayAfter(3)).isEqualTo(Duration.ofMillis(400));
    assertThat(retry.delayAfter(4)).isEqualTo(Duration.ofMillis(500));
    assertThat(retry.allowsAnother(4)).isTrue();
    assertThat(retry.allowsAnother(5)).isFalse();
  }
}
