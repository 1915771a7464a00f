package dev.sluice.schemas.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PipelineTopicsTest {

  @Test
  void specsListEveryTopicOnceWithTheResultCacheCompactedAndDeletingByTheSettingsRetention() {
    TopicSettings settings = new TopicSettings(6, (short) 3, 2, 3_600_000);
    Map<String, TopicSpec> specs = new PipelineTopics("eu").specs(settings, List.of("minilm")).stream()
        .collect(Collectors.toMap(TopicSpec::name, Function.identity()));

    assertThat(specs.keySet()).containsExactlyInAnyOrder("eu.requests", "eu.requests.rerouted", "eu.requests.rejected", "eu.results", "eu.replies", "eu.audit", "eu.results.shadow",
        "eu.results.cache", "eu.metrics.events", "eu.metrics", "eu.alerts", "eu.feedback", "eu.inference.minilm", "eu.models",
        "eu.model-status", PipelineTopics.SCHEMAS);
    TopicSpec cache = specs.get("eu.results.cache");
    assertThat(cache.partitions()).isEqualTo(6);
    assertThat(cache.replicationFactor()).isEqualTo((short) 3);
    assertThat(cache.configs()).containsEntry("cleanup.policy", "compact,delete").containsEntry("retention.ms", "3600000")
        .containsEntry("min.insync.replicas", "2");
    assertThat(cache.compacted()).isTrue();
    assertThat(specs.get("eu.models").configs()).containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
    assertThat(specs.get("eu.model-status").configs()).containsEntry("cleanup.policy", "compact").doesNotContainKey("retention.ms");
    assertThat(specs.get("eu.results").configs()).containsEntry("cleanup.policy", "delete");
    assertThat(specs.get("eu.requests.rerouted").partitions()).as("as many as the requests").isEqualTo(specs.get("eu.requests").partitions());
  }

  @Test
  void acceptsOnlyLettersDigitsDotsUnderscoresAndDashesInPrefixesAndModelNames() {
    assertThat(new PipelineTopics("a.B_c-9").inference("Mini.LM_v-2")).isEqualTo("a.B_c-9.inference.Mini.LM_v-2");
    for (String bad : new String[] {"", "a b", "a/b", "ä", "a:b", "a*"}) {
      assertThatThrownBy(() -> new PipelineTopics(bad)).as("prefix %s", bad).isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("for configuration topic.prefix");
      assertThatThrownBy(() -> PipelineTopics.defaults().inference(bad)).as("model %s", bad)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid model name");
    }
    assertThatThrownBy(() -> new PipelineTopics(null)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PipelineTopics.defaults().inference(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesTheResultCacheUnderThePrefix() {
    assertThat(PipelineTopics.defaults().resultCache()).isEqualTo("sluice.results.cache");
  }
}
