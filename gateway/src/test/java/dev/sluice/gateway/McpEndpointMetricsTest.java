package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.avro.Task;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Calls to /mcp are counted in the gateway's request meter under their route, like every API call, and refusals by reason. */
class McpEndpointMetricsTest {
  private static final String INITIALIZE = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":"
      + "{\"protocolVersion\":\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"test\",\"version\":\"0\"}}}";
  private final HttpClient http = HttpClient.newHttpClient();
  private TestGateway gateway;

  @AfterEach
  void stop() throws Exception {
    gateway.close();
  }

  @Test
  void countsServedAndRefusedMcpCallsUnderTheRouteMcpAndTheRefusalsByReason() throws Exception {
    gateway = new TestGateway(new FakePipeline().deploy("minilm", "v1", Task.TEXT_EMBEDDING),
        Map.of(GatewayConfig.API_KEYS, "ci:acme:" + ApiKeys.hash("good")));
    SimpleMeterRegistry meters = gateway.meters;

    assertThat(initialize(null).statusCode()).isEqualTo(401);
    HttpResponse<String> served = initialize("good");
    assertThat(served.statusCode()).as(served.body()).isEqualTo(200);

    // a call through the MCP servlet is counted when its response is complete, which the client may see first
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (calls(meters, "200") == 0 && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(calls(meters, "401")).isEqualTo(1);
    assertThat(calls(meters, "200")).isEqualTo(1);
    assertThat(meters.get(GatewayMetrics.REFUSALS).tag("reason", "invalid_api_key").counter().count()).isEqualTo(1);
    assertThat(meters.get(GatewayMetrics.IN_FLIGHT).gauge().value()).as("every call counted as answered").isZero();
  }

  private static long calls(SimpleMeterRegistry meters, String status) {
    Timer timer = meters.find(GatewayMetrics.REQUESTS).tags("route", "/mcp", "status", status).timer();
    return timer == null ? 0 : timer.count();
  }

  private HttpResponse<String> initialize(String key) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.port() + "/mcp"))
        .header("Content-Type", "application/json").header("Accept", "application/json, text/event-stream")
        .POST(HttpRequest.BodyPublishers.ofString(INITIALIZE));
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
