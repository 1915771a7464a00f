package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sluice.gateway.GatewayService;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The MCP tools at a gateway's /mcp, called with the official MCP Java SDK's client over
 * streamable HTTP with the deploy test's API key: what each read of Kafka the tools make needs of
 * the gateway's KafkaUser, and whether a traffic change reaches the model registry.
 */
final class GatewayMcpChecks implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private final McpSyncClient client;

  GatewayMcpChecks(GatewayService gateway) {
    HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder("http://127.0.0.1:" + gateway.port())
        .endpoint("/mcp").requestBuilder(HttpRequest.newBuilder().header("Authorization", "Bearer " + SecretStandIns.API_KEY)).build();
    client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(90)).build();
    client.initialize();
  }

  /**
   * Every read tool answers, none with Kafka's refusal: pipeline_status sees every topic (Describe,
   * DescribeConfigs) and the committed offsets of the ingress's and the worker's groups; the
   * snapshots, alerts, dead letters, load states and, for embed, the results are read.
   */
  void readsSucceed(String model, String ingressGroup, String workerGroup) {
    JsonNode status = answer("pipeline_status", Map.of());
    assertThat(status.path("topics")).as("topics").isNotEmpty().allSatisfy(topic -> assertThat(topic.path("exists").asBoolean())
        .as(topic.path("name").asText() + " described").isTrue());
    assertThat(status.path("consumer_groups").findValues("group")).extracting(JsonNode::asText).contains(ingressGroup, workerGroup);
    status.path("consumer_groups").forEach(group -> assertThat(group.path("committed").asBoolean())
        .as(group.path("group").asText() + "'s committed offsets").isTrue());
    assertThat(status.path("versions").findValues("ready_workers")).as("load states").anySatisfy(ready -> assertThat(ready.asInt()).isPositive());
    answer("models_list", Map.of());
    answer("metrics", Map.of("model", model));
    answer("alerts", Map.of());
    answer("rejections", Map.of());
    answer("embed", Map.of("model", model, "text", "read back through the results"));
    String topics = ((TextResourceContents) client.readResource(new ReadResourceRequest("sluice://topics")).contents().get(0)).text();
    assertThat(topics).contains("cleanup_policy").doesNotContain("\"exists\" : false");
  }

  /** Calls set_traffic once, or until it succeeds within the wait (ACLs reach the broker's authorizer shortly after they are created). */
  CallToolResult setTraffic(String model, Map<String, Integer> weights, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    CallToolResult result = client.callTool(new CallToolRequest("set_traffic", Map.of("model", model, "weights", weights)));
    while (Boolean.TRUE.equals(result.isError()) && System.nanoTime() < deadline) {
      result = client.callTool(new CallToolRequest("set_traffic", Map.of("model", model, "weights", weights)));
    }
    return result;
  }

  static String text(CallToolResult result) {
    return ((TextContent) result.content().get(0)).text();
  }

  private JsonNode answer(String tool, Map<String, Object> arguments) {
    CallToolResult result = client.callTool(new CallToolRequest(tool, arguments));
    Supplier<String> what = () -> tool + ": " + text(result);
    assertThat(result.isError()).as(what).isNotEqualTo(Boolean.TRUE);
    return JSON.valueToTree(result.structuredContent());
  }

  @Override
  public void close() {
    client.closeGracefully();
  }
}
