package dev.sluice.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.modelcontextprotocol.server.McpServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The tools' argument checks, which answer before any read of Kafka: a call that cannot be served
 * is a tool error whose text says what to do. (The reads and writes themselves are held by the
 * system test McpClientsTest against a real stack.)
 */
class SluiceToolsTest {
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-08T01:00:00Z"), ZoneOffset.UTC);
  /** No Kafka behind these tools: every call below must be refused before it reads anything. */
  private final SluiceTools tools = new SluiceTools(null, new McpOptions(false, "sluice-ingress", Map.of(), Duration.ofSeconds(5),
      McpOptions.STDIO_SWITCH), null, CLOCK);

  private CallToolResult call(String name, Map<String, Object> arguments) {
    SyncToolSpecification tool = tools.specifications().stream().filter(t -> t.tool().name().equals(name)).findFirst().orElseThrow();
    return tool.callHandler().apply(null, new CallToolRequest(name, arguments));
  }

  private static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  @Test
  void everyToolHasAnObjectSchemaNamingItsRequiredArguments() {
    assertThat(tools.specifications()).extracting(t -> t.tool().name()).containsExactly("pipeline_status", "models_list", "metrics",
        "alerts", "rejections", "embed", "set_traffic", "rollback");
    Map<String, List<String>> required = Map.of("metrics", List.of("model"), "embed", List.of("model", "text"),
        "set_traffic", List.of("model", "weights"), "rollback", List.of("model"));
    for (SyncToolSpecification spec : tools.specifications()) {
      Map<String, Object> schema = spec.tool().inputSchema();
      assertThat(schema.get("type")).as(spec.tool().name()).isEqualTo("object");
      assertThat(spec.tool().description()).as(spec.tool().name()).isNotBlank();
      List<String> expected = required.getOrDefault(spec.tool().name(), List.of());
      @SuppressWarnings("unchecked")
      List<String> named = (List<String>) schema.getOrDefault("required", List.of());
      assertThat(named).as(spec.tool().name()).containsExactlyInAnyOrderElementsOf(expected);
    }
  }

  @Test
  void missingRequiredArgumentIsAToolErrorNamingIt() {
    CallToolResult result = call("embed", Map.of("model", "minilm"));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).isEqualTo("'text' is required.");
    assertThat(text(call("metrics", Map.of()))).isEqualTo("'model' is required.");
  }

  @Test
  void comparingVersionsNeedsBoth() {
    CallToolResult result = call("metrics", Map.of("model", "minilm", "compare_with", "v2"));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).contains("give both 'version' and 'compare_with'");
  }

  @Test
  void unreadableTimeIsAToolErrorNamingTheArgument() {
    CallToolResult result = call("alerts", Map.of("since", "yesterday-ish"));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).startsWith("'since': ");
  }

  @Test
  void outOfRangeCountsAreRefusedWithTheirRange() {
    assertThat(text(call("alerts", Map.of("limit", 0)))).isEqualTo("'limit' is a whole number from 1 to 200, was 0.");
    assertThat(text(call("rejections", Map.of("examples", 11)))).isEqualTo("'examples' is a whole number from 0 to 10, was 11.");
  }

  @Test
  void weightsMustMapVersionsToPercents() {
    CallToolResult result = call("set_traffic", Map.of("model", "minilm", "weights", List.of(80, 20)));

    assertThat(result.isError()).isTrue();
    assertThat(text(result)).contains("'weights' must map versions to percents");
    assertThat(call("set_traffic", Map.of("model", "minilm", "weights", Map.of("v1", "lots"))).isError()).isTrue();
  }

  @Test
  void noToolErrorCarriesAStackTrace() {
    for (Map<String, Object> arguments : List.<Map<String, Object>>of(Map.of(), Map.of("model", ""), Map.of("limit", "many"))) {
      for (String tool : List.of("metrics", "embed", "set_traffic", "rollback")) {
        CallToolResult result = call(tool, arguments);
        assertThat(result.isError()).as("%s %s", tool, arguments).isTrue();
        assertThat(text(result)).as("%s %s", tool, arguments).doesNotContain("Exception", "\tat ");
      }
    }
  }
}
