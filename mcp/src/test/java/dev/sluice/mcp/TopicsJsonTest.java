package dev.sluice.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.platform.topics.TopicState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The topics' JSON that pipeline_status and the topics resource both serve. */
class TopicsJsonTest {
  @Test
  void aPresentTopicCarriesItsSettingsAndAMissingOneOnlyItsName() throws Exception {
    List<TopicState> states = List.of(new TopicState.Present("sluice.models", 1, 3, "compact", "2", -1, 42),
        new TopicState.Missing("sluice.inference.minilm"));

    assertThat(new ObjectMapper().writeValueAsString(TopicsJson.of(states))).isEqualTo("["
        + "{\"name\":\"sluice.models\",\"exists\":true,\"partitions\":1,\"replication_factor\":3,\"cleanup_policy\":\"compact\","
        + "\"min_insync_replicas\":\"2\",\"retention_ms\":-1,\"end_offsets\":42},"
        + "{\"name\":\"sluice.inference.minilm\",\"exists\":false}]");
  }
}
