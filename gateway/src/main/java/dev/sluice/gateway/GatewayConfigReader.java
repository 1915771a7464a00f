package dev.sluice.gateway;

import dev.sluice.schemas.config.ConfigReader;
import dev.sluice.schemas.registry.SchemaRegistryClientConfig;
import dev.sluice.schemas.topics.PipelineTopics;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;

/** Reads a {@link GatewayConfig} out of a property map, collecting every problem. */
final class GatewayConfigReader {
  private static final Set<String> KEYS = Set.of(GatewayConfig.HOST, GatewayConfig.PORT, GatewayConfig.OPS_PORT,
      GatewayConfig.REPLY_PARTITION, GatewayConfig.TIMEOUT_MS, GatewayConfig.MAX_TIMEOUT_MS, GatewayConfig.MAX_BODY_BYTES,
      GatewayConfig.MAX_INPUTS, GatewayConfig.API_KEYS, GatewayConfig.API_KEYS_FILE, GatewayConfig.ALLOW_ANONYMOUS,
      GatewayConfig.ALLOWED_ORIGINS, GatewayConfig.ALLOW_PLAINTEXT, GatewayConfig.SHUTDOWN_TIMEOUT_MS, GatewayConfig.MCP_ALLOW_WRITES,
      GatewayConfig.MCP_INGRESS_APPLICATION_ID, GatewayConfig.MCP_HEALTH_URLS, GatewayTls.KEYSTORE_PATH,
      GatewayTls.KEYSTORE_PASSWORD, GatewayTls.CERTIFICATE_PATH, GatewayTls.KEY_PATH, GatewayTls.CLIENT_AUTH, GatewayTls.CLIENT_CA_PATH);
  private static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?");
  private static final int MAX_PORT = 65_535;

  private final Map<String, String> properties;
  private final ConfigReader reader;

  GatewayConfigReader(Map<String, String> properties) {
    this.properties = Map.copyOf(properties);
    this.reader = new ConfigReader(this.properties);
  }

  GatewayConfig read() {
    String bootstrap = reader.string(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG).orElse(null);
    if (bootstrap == null) {
      reader.missing(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }
    SchemaRegistryClientConfig registry = SchemaRegistryClientConfig.read(reader);
    PipelineTopics topics = PipelineTopics.defaults();
    String prefix = reader.string("topic.prefix").orElse(PipelineTopics.DEFAULT_PREFIX);
    try {
      topics = new PipelineTopics(prefix);
    } catch (IllegalArgumentException e) {
      reader.invalid("topic.prefix", prefix, "must use only letters, digits, '.', '_' and '-'");
    }
    String host = reader.string(GatewayConfig.HOST).orElse("127.0.0.1");
    int port = port(GatewayConfig.PORT, GatewayConfig.DEFAULT_PORT);
    int opsPort = port(GatewayConfig.OPS_PORT, GatewayConfig.DEFAULT_OPS_PORT);
    int replyPartition = reader.intAtLeast(GatewayConfig.REPLY_PARTITION, 0, 0);
    long timeoutMs = reader.longAtLeast(GatewayConfig.TIMEOUT_MS, 30_000, 1);
    long maxTimeoutMs = reader.longAtLeast(GatewayConfig.MAX_TIMEOUT_MS, 300_000, 1);
    if (timeoutMs > maxTimeoutMs) {
      reader.invalid(GatewayConfig.TIMEOUT_MS, timeoutMs, "must be <= " + GatewayConfig.MAX_TIMEOUT_MS + " (" + maxTimeoutMs + ")");
    }
    int maxBody = reader.intAtLeast(GatewayConfig.MAX_BODY_BYTES, 4 * 1024 * 1024, 1024);
    int maxInputs = reader.intAtLeast(GatewayConfig.MAX_INPUTS, 2048, 1);
    boolean anonymous = reader.bool(GatewayConfig.ALLOW_ANONYMOUS, false);
    ApiKeys keys = keys();
    List<String> origins = reader.list(GatewayConfig.ALLOWED_ORIGINS);
    for (String origin : origins) {
      if (!origin.equals("*") && !ORIGIN.matcher(origin).matches()) {
        reader.invalid(GatewayConfig.ALLOWED_ORIGINS, origin, "must be scheme://host[:port] (no path, no trailing slash) or *");
      }
    }
    GatewayTls tls = GatewayTls.read(reader);
    boolean plaintext = reader.bool(GatewayConfig.ALLOW_PLAINTEXT, false);
    long shutdownMs = reader.longAtLeast(GatewayConfig.SHUTDOWN_TIMEOUT_MS, 30_000, 0);
    GatewayConfig.Mcp mcp = new GatewayConfig.Mcp(reader.bool(GatewayConfig.MCP_ALLOW_WRITES, false),
        reader.string(GatewayConfig.MCP_INGRESS_APPLICATION_ID).orElse(topics.prefix() + "-ingress"), healthUrls());
    if (tls == null && !GatewayConfig.isLoopback(host) && !plaintext) {
      reader.invalid(GatewayConfig.HOST, host, "is beyond loopback without TLS: set " + GatewayTls.KEYSTORE_PATH + " or "
          + GatewayTls.CERTIFICATE_PATH + " and " + GatewayTls.KEY_PATH + ", or " + GatewayConfig.ALLOW_PLAINTEXT + "=true (--allow-plaintext)");
    }
    for (String key : properties.keySet()) {
      if (key.startsWith("gateway.") && !KEYS.contains(key)) {
        reader.invalid(key, properties.get(key), "is not a gateway setting (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
      }
    }
    reader.throwIfInvalid();
    return new GatewayConfig(bootstrap, registry, topics, host, port, opsPort, replyPartition, Duration.ofMillis(timeoutMs),
        Duration.ofMillis(maxTimeoutMs), maxBody, maxInputs, keys, anonymous, origins, tls,
        Duration.ofMillis(shutdownMs), mcp, properties);
  }

  /** {@value GatewayConfig#MCP_HEALTH_URLS}: name=http(s)://host:port/path entries. */
  private Map<String, URI> healthUrls() {
    Map<String, URI> urls = new LinkedHashMap<>();
    for (String entry : reader.list(GatewayConfig.MCP_HEALTH_URLS)) {
      int equals = entry.indexOf('=');
      URI url = null;
      if (equals > 0) {
        try {
          url = new URI(entry.substring(equals + 1).trim());
        } catch (URISyntaxException e) {
          url = null;
        }
      }
      if (url == null || url.getHost() == null || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        reader.invalid(GatewayConfig.MCP_HEALTH_URLS, entry, "entries must be name=http(s)://host:port/health/ready");
      } else {
        urls.put(entry.substring(0, equals).trim(), url);
      }
    }
    return urls;
  }

  private int port(String key, int defaultValue) {
    int port = reader.intAtLeast(key, defaultValue, 0);
    if (port > MAX_PORT) {
      reader.invalid(key, port, "must be <= " + MAX_PORT);
    }
    return port;
  }

  private ApiKeys keys() {
    List<String> entries = new ArrayList<>(reader.list(GatewayConfig.API_KEYS));
    String file = reader.string(GatewayConfig.API_KEYS_FILE).orElse(null);
    if (file != null) {
      try {
        for (String line : Files.readAllLines(Path.of(file), StandardCharsets.UTF_8)) {
          String entry = line.strip();
          if (!entry.isEmpty() && !entry.startsWith("#")) {
            entries.add(entry);
          }
        }
      } catch (IOException e) {
        reader.invalid(GatewayConfig.API_KEYS_FILE, file, "cannot be read: " + e);
      }
    }
    try {
      return ApiKeys.parse(entries);
    } catch (IllegalArgumentException e) {
      reader.invalid(file != null ? GatewayConfig.API_KEYS_FILE : GatewayConfig.API_KEYS, "(hidden)", e.getMessage());
      return ApiKeys.none();
    }
  }
}
