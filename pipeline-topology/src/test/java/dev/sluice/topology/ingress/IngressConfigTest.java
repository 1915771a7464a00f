package dev.sluice.topology.ingress;

import dev.sluice.schemas.config.ConfigSources;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.preprocessing.RateLimit;
import dev.sluice.preprocessing.Scaling;
import dev.sluice.preprocessing.UnknownFeaturePolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IngressConfigTest {
  private static final Map<String, String> REQUIRED = Map.of("bootstrap.servers", "broker:9092", "schema.registry.url", "http://registry:8081");

  @Test
  void appliesDefaultsWhenOnlyTheRequiredKeysAreGiven() {
    IngressConfig config = IngressConfig.parse(REQUIRED);

    assertThat(config.applicationId()).isEqualTo("sluice-ingress");
    assertThat(config.topics().requests()).isEqualTo("sluice.requests");
    assertThat(config.requestPartitions()).as("looked up by IngressApp at start").isEmpty();
    assertThat(config.numStandbyReplicas()).isZero();
    assertThat(config.numStreamThreads()).isEqualTo(1);
    assertThat(config.stateDir()).isNull();
    assertThat(config.dedupTtl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.cacheTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(config.cacheEnabled()).isTrue();
    assertThat(config.cacheMaxEntries()).isEqualTo(100_000);
    assertThat(config.rateLimits().forTenant("anyone").isUnlimited()).isTrue();
    assertThat(config.defaults()).isEqualTo(dev.sluice.preprocessing.IngressDefaults.defaults());
    assertThat(config.httpPort()).isEqualTo(8090);
    assertThat(config.threadReplacements()).isEqualTo(new ReplacementBudget(5, Duration.ofMinutes(10)));
  }

  @Test
  void readsEveryIngressKey() {
    Map<String, String> properties = new HashMap<>(REQUIRED);
    properties.putAll(Map.ofEntries(
        Map.entry("application.id", "ingress-eu"), Map.entry("topic.prefix", "eu"), Map.entry("state.dir", "/var/lib/sluice"),
        Map.entry("num.standby.replicas", "1"), Map.entry("num.stream.threads", "4"), Map.entry("ingress.request.partitions", "12"),
        Map.entry("ingress.dedup.ttl.ms", "1000"), Map.entry("ingress.cache.ttl.ms", "0"), Map.entry("ingress.cache.max.entries", "5"),
        Map.entry("ingress.rate.limit.per.second", "2.5"), Map.entry("ingress.rate.limit.tenant.acme.per.second", "100"),
        Map.entry("ingress.rate.limit.tenant.acme.burst", "200"), Map.entry("ingress.rate.limit.tenant.free.burst", "3"),
        Map.entry("ingress.max.text.chars", "100"), Map.entry("ingress.max.payload.bytes", "2048"),
        Map.entry("ingress.text.lowercase", "true"), Map.entry("ingress.tabular.scaling", "min_max"),
        Map.entry("ingress.tabular.unknown.features", "drop"), Map.entry("ingress.http.port", "0"),
        Map.entry("ingress.shutdown.timeout.ms", "5000"), Map.entry("ingress.thread.replacements.max", "2"),
        Map.entry("ingress.thread.replacements.window.ms", "60000")));
    IngressConfig config = IngressConfig.parse(properties);

    assertThat(config.applicationId()).isEqualTo("ingress-eu");
    assertThat(config.topics().requests()).isEqualTo("eu.requests");
    assertThat(config.stateDir()).isEqualTo("/var/lib/sluice");
    assertThat(config.numStandbyReplicas()).isEqualTo(1);
    assertThat(config.numStreamThreads()).isEqualTo(4);
    assertThat(config.requestPartitions()).hasValue(12);
    assertThat(config.requiredRequestPartitions()).isEqualTo(12);
    assertThat(config.dedupTtl()).isEqualTo(Duration.ofSeconds(1));
    assertThat(config.cacheEnabled()).isFalse();
    assertThat(config.cacheMaxEntries()).isEqualTo(5);
    assertThat(config.rateLimits().forTenant(null)).isEqualTo(new RateLimit(2.5, 2.5));
    assertThat(config.rateLimits().forTenant("acme")).isEqualTo(new RateLimit(100, 200));
    assertThat(config.rateLimits().forTenant("free")).isEqualTo(new RateLimit(2.5, 3));
    assertThat(config.defaults().maxTextChars()).isEqualTo(100);
    assertThat(config.defaults().maxPayloadBytes()).isEqualTo(2048);
    assertThat(config.defaults().lowercase()).isTrue();
    assertThat(config.defaults().scaling()).isEqualTo(Scaling.MIN_MAX);
    assertThat(config.defaults().unknownFeatures()).isEqualTo(UnknownFeaturePolicy.DROP);
    assertThat(config.httpPort()).isZero();
    assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.threadReplacements()).isEqualTo(new ReplacementBudget(2, Duration.ofMinutes(1)));
  }

  @Test
  void reportsEveryProblemAtOnceInKafkasWords() {
    Map<String, String> properties = Map.of(
        "ingress.request.partitions", "0", "ingress.dedup.ttl.ms", "soon", "ingress.rate.limit.per.second", "-1",
        "ingress.tabular.scaling", "log", "processing.guarantee", "at_least_once", "ingress.dedup.tll.ms", "5",
        "topic.prefix", "bad prefix", "ingress.http.port", "70000", "ingress.rate.limit.tenant..burst", "2",
        "ingress.text.lowercase", "yes");

    assertThatThrownBy(() -> IngressConfig.parse(properties))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("Missing required configuration \"bootstrap.servers\" which has no default value.")
        .hasMessageContaining("Missing required configuration \"schema.registry.url\" which has no default value.")
        .hasMessageContaining("Invalid value 0 for configuration ingress.request.partitions: must be >= 1")
        .hasMessageContaining("Invalid value soon for configuration ingress.dedup.ttl.ms: Not a number of type LONG")
        .hasMessageContaining("Invalid value -1 for configuration ingress.rate.limit.per.second: must be a finite number >= 0.0")
        .hasMessageContaining("Invalid value log for configuration ingress.tabular.scaling: must be one of [STANDARDIZE, MIN_MAX]")
        .hasMessageContaining("Invalid value at_least_once for configuration processing.guarantee: must be exactly_once_v2")
        .hasMessageContaining("Invalid value 5 for configuration ingress.dedup.tll.ms: unknown ingress configuration")
        .hasMessageContaining("Invalid value bad prefix for configuration topic.prefix")
        .hasMessageContaining("Invalid value 70000 for configuration ingress.http.port: must be <= 65535")
        .hasMessageContaining("for configuration ingress.rate.limit.tenant..burst: expected ingress.rate.limit.tenant.<tenant>.per.second")
        .hasMessageContaining("Invalid value yes for configuration ingress.text.lowercase");
  }

  @Test
  void passesKafkaKeysThroughAndForcesExactlyOnce() {
    Map<String, String> properties = new HashMap<>(REQUIRED);
    properties.putAll(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "SCRAM-SHA-512", "ssl.truststore.location", "/tls/ca.jks",
        "basic.auth.user.info", "u:p", "ingress.request.partitions", "6", "num.stream.threads", "2", "state.dir", "/state"));
    Properties streams = IngressConfig.parse(properties).streamsProperties();

    assertThat(streams).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
        .containsEntry("ssl.truststore.location", "/tls/ca.jks").containsEntry("bootstrap.servers", "broker:9092")
        .containsEntry("application.id", "sluice-ingress").containsEntry("processing.guarantee", "exactly_once_v2")
        .containsEntry("num.stream.threads", "2").containsEntry("num.standby.replicas", "0").containsEntry("state.dir", "/state")
        .containsEntry("deserialization.exception.handler", DeserializationFailureHandler.class.getName());
    assertThat(streams).doesNotContainKeys("ingress.request.partitions", "schema.registry.url", "basic.auth.user.info");
  }

  @Test
  void failsOverWithinSecondsUnlessTheSessionTimeoutIsSet() {
    assertThat(IngressConfig.parse(REQUIRED).streamsProperties()).containsEntry("main.consumer.session.timeout.ms", "6000")
        .containsEntry("main.consumer.heartbeat.interval.ms", "2000");

    Map<String, String> properties = new HashMap<>(REQUIRED);
    properties.put("consumer.session.timeout.ms", "45000");
    assertThat(IngressConfig.parse(properties).streamsProperties()).containsEntry("consumer.session.timeout.ms", "45000")
        .doesNotContainKey("main.consumer.session.timeout.ms");
  }

  @Test
  void environmentOverridesTheFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("ingress.properties");
    Files.writeString(file, "bootstrap.servers=file:9092\nschema.registry.url=http://file:8081\ningress.request.partitions=4\ningress.dedup.ttl.ms=5000\n");
    Map<String, String> environment = Map.of("SLUICE_BOOTSTRAP_SERVERS", "env:9092", "SLUICE_INGRESS_REQUEST_PARTITIONS", "8",
        "SLUICE_KAFKA_SASL_JAAS_CONFIG", "secret", "SLUICE_TOPIC_PREFIX", "stage", "PATH", "/usr/bin");
    IngressConfig config = IngressConfig.parse(ConfigSources.merge(ConfigSources.load(file), environment));

    assertThat(config.bootstrapServers()).isEqualTo("env:9092");
    assertThat(config.requestPartitions()).hasValue(8);
    assertThat(config.dedupTtl()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.topics().prefix()).isEqualTo("stage");
    assertThat(config.streamsProperties()).containsEntry("sasl.jaas.config", "secret").doesNotContainKey("path");
  }

  @Test
  void reportsTheRetiredPartitionsKeyWithWhatReplacedIt() {
    Map<String, String> properties = new HashMap<>(REQUIRED);
    properties.put("ingress.partitions", "3");

    assertThatThrownBy(() -> IngressConfig.parse(properties)).isInstanceOf(ConfigException.class)
        .hasMessageContaining("Invalid value 3 for configuration ingress.partitions: no longer used: the ingress has no repartition"
            + " topics; rate limits are divided by ingress.request.partitions");
  }

  @Test
  void requiresTheRequestPartitionsOnlyOnceTheyAreAskedForAndTakesThemLookedUp() {
    IngressConfig config = IngressConfig.parse(REQUIRED);

    assertThatThrownBy(config::requiredRequestPartitions).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("The partition count of sluice.requests is not known: set ingress.request.partitions, or let IngressApp"
            + " look it up from the cluster");
    assertThat(config.withRequestPartitions(5).requiredRequestPartitions()).isEqualTo(5);
    assertThat(config.withRequestPartitions(5)).usingRecursiveComparison().ignoringFields("requestPartitions").isEqualTo(config);
    assertThatThrownBy(() -> config.withRequestPartitions(0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Invalid value 0 for configuration ingress.request.partitions: must be >= 1");
  }

  @Test
  void reportsAnUnreadableFile(@TempDir Path dir) {
    assertThatThrownBy(() -> ConfigSources.load(dir.resolve("missing.properties")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("Cannot read configuration file");
  }
}
