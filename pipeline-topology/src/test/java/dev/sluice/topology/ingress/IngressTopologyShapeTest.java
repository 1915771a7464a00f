package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class IngressTopologyShapeTest {

  @Test
  void hasOneCoPartitionedStatefulSubTopologyBehindTwoTenantRepartitions() {
    IngressConfig config = IngressConfig.parse(Map.of("bootstrap.servers", "b:9092", "schema.registry.url", "http://r:8081",
        "topic.prefix", "acme", "application.id", "ingress-a"));
    TopologyDescription description = IngressTopology.build(config, new InMemorySchemaRegistryClient(), Clock.systemUTC(),
        new SimpleMeterRegistry()).describe();
    String text = description.toString();

    assertThat(description.globalStores()).hasSize(1);
    assertThat(text).contains("topics: [acme.models]").contains("stores: [" + IngressStores.MODELS + "]");
    assertThat(description.subtopologies()).hasSize(3);
    assertThat(text).contains("topics: [acme.requests]").contains("topics: [acme.results]")
        .contains("by-tenant-repartition").contains("results-by-tenant-repartition")
        .contains("topic: acme.requests.rejected").contains("topic: acme.results")
        .contains(IngressStores.RATE_BUCKETS).contains(IngressStores.DEDUP).contains(IngressStores.RESULT_CACHE);
    TopologyDescription.Subtopology stateful = description.subtopologies().stream()
        .filter(s -> s.nodes().stream().anyMatch(n -> n.name().equals("admit")))
        .findFirst().orElseThrow();
    assertThat(stateful.nodes()).extracting(TopologyDescription.Node::name).contains("admit", "cache-feed");
  }
}
