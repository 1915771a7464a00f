package dev.sluice.mcp;

import java.net.URI;
import java.time.Duration;
import java.util.Map;

/**
 * How the MCP server behaves beyond where the cluster is.
 *
 * @param allowWrites whether {@code set_traffic} and {@code rollback} may change the registry (a
 *     dry run is always allowed)
 * @param ingressGroup the ingress's application id, its consumer group
 * @param healthUrls components' {@code /health/ready} URLs by name, for {@code pipeline_status}
 * @param embedTimeout the longest {@code embed} waits for its result
 * @param writesSwitch how this server's operator allows writes, named in a refusal (e.g.
 *     {@code sluice mcp --allow-writes}, or the gateway's setting)
 */
public record McpOptions(boolean allowWrites, String ingressGroup, Map<String, URI> healthUrls, Duration embedTimeout,
    String writesSwitch) {
  /** The switch of {@code sluice mcp}. */
  public static final String STDIO_SWITCH = "sluice mcp --allow-writes";

  public McpOptions {
    healthUrls = Map.copyOf(healthUrls);
  }
}
