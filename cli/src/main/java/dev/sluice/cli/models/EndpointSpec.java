package dev.sluice.cli.models;

import dev.sluice.avro.EndpointProtocol;
import dev.sluice.avro.ModelEndpoint;
import dev.sluice.worker.remote.EndpointHeaders;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@code --endpoint} of {@code sluice models deploy}: comma-separated {@code key=value} pairs
 * that become a {@link ModelEndpoint}. Keys: {@code name}, {@code protocol} (oip-v2, openai,
 * local), {@code url}, {@code remote-model}, {@code remote-version}, {@code timeout-ms}, {@code max-concurrency},
 * {@code max-batch-size}, {@code retries}, {@code api-key-env}, {@code api-key-file},
 * {@code trust-file}, {@code breaker-failures}, {@code breaker-open-ms}, {@code input-name},
 * {@code output-name}, and {@code header.NAME} for a header. A value cannot hold a comma.
 */
final class EndpointSpec {
  static final String KEYS = "name, protocol (oip-v2|openai|local), url, remote-model, remote-version, timeout-ms, max-concurrency, max-batch-size, retries,"
      + " api-key-env, api-key-file, trust-file, breaker-failures, breaker-open-ms, input-name, output-name, header.NAME";

  private EndpointSpec() {}

  /**
   * Parses one spec.
   *
   * @throws IllegalArgumentException saying which pair is wrong and what is expected
   */
  static ModelEndpoint parse(String spec) {
    String shown = spec.replaceAll("(?i)(header\\.[^=,]*=)[^,]*", "$1***"); // header values are not echoed back
    Map<String, String> pairs = new LinkedHashMap<>();
    for (String pair : spec.split(",")) {
      if (pair.isBlank()) {
        continue;
      }
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new IllegalArgumentException("--endpoint " + shown + ": '" + pair.strip() + "' is not key=value (keys: " + KEYS + ")");
      }
      String key = pair.substring(0, eq).strip();
      if (pairs.put(key, pair.substring(eq + 1).strip()) != null) {
        throw new IllegalArgumentException("--endpoint " + shown + ": " + key + " is given twice");
      }
    }
    String name = pairs.remove("name");
    String protocol = pairs.remove("protocol");
    if (name == null || name.isBlank() || protocol == null) {
      throw new IllegalArgumentException("--endpoint " + shown + ": needs name=... and protocol=oip-v2|openai|local");
    }
    ModelEndpoint.Builder endpoint = ModelEndpoint.newBuilder().setName(name).setProtocol(protocol(shown, protocol));
    Map<String, String> headers = new LinkedHashMap<>();
    for (Map.Entry<String, String> pair : pairs.entrySet()) {
      String value = pair.getValue();
      switch (pair.getKey()) {
        case "url" -> endpoint.setUrl(value);
        case "remote-model" -> endpoint.setRemoteModel(value);
        case "remote-version" -> endpoint.setRemoteVersion(value);
        case "timeout-ms" -> endpoint.setTimeoutMs(positive(shown, pair.getKey(), value, 1));
        case "max-concurrency" -> endpoint.setMaxConcurrency(positive(shown, pair.getKey(), value, 1));
        case "max-batch-size" -> endpoint.setMaxBatchSize(positive(shown, pair.getKey(), value, 0));
        case "retries" -> endpoint.setRetries(positive(shown, pair.getKey(), value, 0));
        case "api-key-env" -> endpoint.setApiKeyEnv(value);
        case "api-key-file" -> endpoint.setApiKeyFile(value);
        case "trust-file" -> endpoint.setTrustFile(value);
        case "breaker-failures" -> endpoint.setBreakerFailures(positive(shown, pair.getKey(), value, 1));
        case "breaker-open-ms" -> endpoint.setBreakerOpenMs(positive(shown, pair.getKey(), value, 0));
        case "input-name" -> endpoint.setInputName(value);
        case "output-name" -> endpoint.setOutputName(value);
        default -> {
          if (!pair.getKey().startsWith("header.") || pair.getKey().length() == "header.".length()) {
            throw new IllegalArgumentException("--endpoint " + shown + ": unknown key " + pair.getKey() + " (keys: " + KEYS + ")");
          }
          String header = pair.getKey().substring("header.".length());
          EndpointHeaders.refused(header).ifPresent(why -> {
            throw new IllegalArgumentException("--endpoint " + shown + ": " + why);
          });
          headers.put(header, value);
        }
      }
    }
    endpoint.setHeaders(headers);
    ModelEndpoint built = endpoint.build();
    if (built.getProtocol() != EndpointProtocol.LOCAL && (built.getUrl() == null || built.getUrl().isBlank())) {
      throw new IllegalArgumentException("--endpoint " + shown + ": protocol " + protocol + " needs url=http(s)://host:port");
    }
    if (built.getApiKeyEnv() != null && built.getApiKeyFile() != null) {
      throw new IllegalArgumentException("--endpoint " + shown + ": give api-key-env or api-key-file, not both");
    }
    return built;
  }

  private static EndpointProtocol protocol(String spec, String value) {
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "oip-v2" -> EndpointProtocol.OIP_V2;
      case "openai" -> EndpointProtocol.OPENAI;
      case "local" -> EndpointProtocol.LOCAL;
      default -> throw new IllegalArgumentException("--endpoint " + spec + ": protocol " + value + " is not oip-v2, openai or local");
    };
  }

  private static int positive(String spec, String key, String value, int least) {
    try {
      int parsed = Integer.parseInt(value);
      if (parsed >= least) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new IllegalArgumentException("--endpoint " + spec + ": " + key + " must be a whole number >= " + least + ", was " + value);
  }
}
