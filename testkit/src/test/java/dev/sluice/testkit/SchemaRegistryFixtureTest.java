package dev.sluice.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemaregistry.EmbeddedSchemaRegistryConfig;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.Test;

@RealKafka(schemaRegistry = true)
class SchemaRegistryFixtureTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

  @Test
  void servesAnEmptySubjectListOverHttp(KafkaCluster kafka) throws Exception {
    HttpResponse<String> response = get(kafka.schemaRegistryUrl() + "/subjects");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body().trim()).isEqualTo("[]");
  }

  @Test
  void keepsSchemasInACompactedSinglePartitionTopicOfTheCluster(KafkaCluster kafka)
      throws Exception {
    try (Admin admin = Admin.create(kafka.adminClientProperties())) {
      TopicDescription schemas = admin.describeTopics(List.of("_schemas")).allTopicNames()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get("_schemas");
      ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, "_schemas");
      String policy = admin.describeConfigs(List.of(resource)).all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(resource)
          .get(TopicConfig.CLEANUP_POLICY_CONFIG).value();

      assertThat(schemas.partitions()).hasSize(1);
      assertThat(schemas.partitions().get(0).replicas()).hasSize(1);
      assertThat(policy).isEqualTo(TopicConfig.CLEANUP_POLICY_COMPACT);
    }
  }

  @Test
  void closesTheRegistryBeforeTheCluster(KafkaCluster kafka) throws Exception {
    List<Throwable> probesWhileClusterCloses = new ArrayList<>();
    AtomicReference<String> url = new AtomicReference<>();
    StandInCluster cluster = new StandInCluster(kafka.bootstrapServers(),
        () -> probesWhileClusterCloses.add(probe(url.get())));
    KafkaCluster owner = ClusterWithSchemaRegistry.start(cluster,
        ClusterWithSchemaRegistry.registryConfig(cluster).withTopic("_schemas.close-order"));
    url.set(owner.schemaRegistryUrl());
    assertThat(get(url.get() + "/subjects").statusCode()).isEqualTo(200);

    owner.close();
    owner.close();

    assertThat(cluster.closes()).isEqualTo(1);
    assertThat(probesWhileClusterCloses).singleElement().isInstanceOf(ConnectException.class);
  }

  @Test
  void closesTheClusterWhenTheRegistryCannotStart(KafkaCluster kafka) {
    kafka.createTopic("_schemas.two-partitions", 2, 1, Map.of());
    StandInCluster cluster = new StandInCluster(kafka.bootstrapServers(), () -> { });
    EmbeddedSchemaRegistryConfig unfitTopic = ClusterWithSchemaRegistry.registryConfig(cluster)
        .withTopic("_schemas.two-partitions");

    assertThatThrownBy(() -> ClusterWithSchemaRegistry.start(cluster, unfitTopic))
        .isInstanceOf(TestKitException.class)
        .hasMessageStartingWith("The schema registry did not start on the Kafka cluster at "
            + kafka.bootstrapServers() + ": ")
        .hasMessageContaining("has 2 partitions");
    assertThat(cluster.closes()).isEqualTo(1);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(TIMEOUT).GET().build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  /** What a GET to the registry raised, or an AssertionError naming the answer it got. */
  private Throwable probe(String url) {
    try {
      return new AssertionError("The registry still answered with HTTP "
          + get(url + "/subjects").statusCode() + " while the cluster was closing");
    } catch (IOException e) {
      return e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return e;
    }
  }
}
