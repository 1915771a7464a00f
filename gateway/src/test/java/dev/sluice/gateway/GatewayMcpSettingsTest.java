package dev.sluice.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GatewayMcpSettingsTest {
  private static GatewayConfig parse(Map<String, String> settings) {
    Map<String, String> props = new HashMap<>(Map.of("bootstrap.servers", "k:9092", "schema.registry.url", "http://r:8081"));
    props.putAll(settings);
    return GatewayConfig.parse(props);
  }

  @Test
  void mcpWritesAreRefusedUnlessAllowedAndTheIngressGroupFollowsThePrefix() {
    assertThat(parse(Map.of()).mcp()).isEqualTo(new GatewayConfig.Mcp(false, "sluice-ingress", Map.of()));
    assertThat(parse(Map.of("topic.prefix", "prod")).mcp().ingressGroup()).isEqualTo("prod-ingress");
    assertThat(parse(Map.of(GatewayConfig.MCP_ALLOW_WRITES, "true", GatewayConfig.MCP_INGRESS_APPLICATION_ID, "edge-ingress")).mcp())
        .isEqualTo(new GatewayConfig.Mcp(true, "edge-ingress", Map.of()));
  }

  @Test
  void theComponentsPipelineStatusAsksAreNamedUrlsAndABadEntryIsReported() {
    assertThat(parse(Map.of(GatewayConfig.MCP_HEALTH_URLS, "ingress=http://ingress:8090/health/ready, worker=https://w:8091/health/ready"))
        .mcp().healthUrls()).isEqualTo(Map.of("ingress", URI.create("http://ingress:8090/health/ready"),
            "worker", URI.create("https://w:8091/health/ready")));
    assertThatThrownBy(() -> parse(Map.of(GatewayConfig.MCP_HEALTH_URLS, "ingress=ftp://x/health,monitor")))
        .hasMessageContaining(GatewayConfig.MCP_HEALTH_URLS).hasMessageContaining("ftp://x/health").hasMessageContaining("monitor");
  }

  @Test
  void aMisspelledMcpSettingIsReported() {
    assertThatThrownBy(() -> parse(Map.of("gateway.mcp.allow.write", "true")))
        .hasMessageContaining("gateway.mcp.allow.write").hasMessageContaining(GatewayConfig.MCP_ALLOW_WRITES);
  }

  @Test
  void theMcpPathHasARouteOfItsOwnForTracesAndMetrics() {
    assertThat(Route.of("/mcp").kind()).isEqualTo(Route.Kind.MCP);
    assertThat(Route.of("/mcp").label()).isEqualTo("/mcp");
  }
}
