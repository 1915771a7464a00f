package dev.sluice.topology.ingress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.schemas.registry.InMemorySchemaRegistryClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.streams.TopologyDescription;
import org.junit.jupiter.api.Test;

class IngressTopologyShapeTest {
  private static final Map<String, String> CONFIG = Map.of("bootstrap.servers", "b:9092", "schema.registry.url", "http://r:8081",
      "topic.prefix", "acme", "application.id", "ingress-a", "ingress.request.partitions", "6");

  @Test
  void runsTheWholeRequestPathInOneSubtopologyWhoseSecondSourceIsTheReroutedRequests() {
    TopologyDescription description = describe(CONFIG);
    String text = description.toString();

    assertThat(text).doesNotContain("repartition");
    assertThat(description.subtopologies()).hasSize(2);
    TopologyDescription.Subtopology requests = subtopologyWith(description, IngressTopology.INGRESS);
    assertThat(names(requests)).containsExactlyInAnyOrder(IngressTopology.REQUESTS_SOURCE, IngressTopology.REROUTED_SOURCE,
        IngressTopology.INGRESS, IngressTopology.REROUTE_SINK, IngressTopology.REJECTED_SINK, IngressTopology.CACHED_RESULTS_SINK,
        IngressTopology.INFERENCE_SINK, IngressTopology.REPLIES_SINK);
    TopologyDescription.Processor ingress = (TopologyDescription.Processor) requests.nodes().stream()
        .filter(n -> n.name().equals(IngressTopology.INGRESS)).findFirst().orElseThrow();
    assertThat(ingress.stores()).containsExactlyInAnyOrder(IngressStores.RATE_BUCKETS, IngressStores.DEDUP,
        IngressStores.DEDUP_EXPIRY);
    assertThat(text).contains("topics: [acme.requests]").contains("topics: [acme.requests.rerouted]")
        .contains("topic: acme.requests.rerouted").contains("topic: acme.requests.rejected").contains("topic: acme.results")
        .contains("topic: acme.replies").contains("extractor class: acme.inference.<model>");
  }

  @Test
  void feedsTheCacheTopicFromTheResultsAndReadsRegistryAndCacheAsGlobalStores() {
    TopologyDescription description = describe(CONFIG);

    TopologyDescription.Subtopology feed = subtopologyWith(description, IngressTopology.CACHE_FEED);
    assertThat(names(feed)).containsExactlyInAnyOrder(IngressTopology.RESULTS_SOURCE, IngressTopology.CACHE_FEED,
        IngressTopology.RESULT_CACHE_SINK);
    assertThat(feed.toString()).contains("topics: [acme.results]").contains("topic: acme.results.cache");
    Map<String, String> globalStores = description.globalStores().stream()
        .collect(Collectors.toMap(g -> g.processor().stores().iterator().next(), g -> g.source().topicSet().iterator().next()));
    assertThat(globalStores).containsOnly(Map.entry(IngressStores.MODELS, "acme.models"),
        Map.entry(IngressStores.RESULT_CACHE, "acme.results.cache"));
  }

  @Test
  void refusesToBuildWithoutTheRequestPartitionCount() {
    Map<String, String> config = new HashMap<>(CONFIG);
    config.remove("ingress.request.partitions");

    assertThatThrownBy(() -> describe(config)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("partition count of acme.requests is not known").hasMessageContaining("ingress.request.partitions");
  }

  private static TopologyDescription describe(Map<String, String> properties) {
    return IngressTopology.build(IngressConfig.parse(properties), new InMemorySchemaRegistryClient(), Clock.systemUTC(),
        new SimpleMeterRegistry()).describe();
  }

  private static TopologyDescription.Subtopology subtopologyWith(TopologyDescription description, String node) {
    return description.subtopologies().stream().filter(s -> names(s).contains(node)).findFirst().orElseThrow();
  }

  private static Set<String> names(TopologyDescription.Subtopology subtopology) {
    return subtopology.nodes().stream().map(TopologyDescription.Node::name).collect(Collectors.toSet());
  }
}
