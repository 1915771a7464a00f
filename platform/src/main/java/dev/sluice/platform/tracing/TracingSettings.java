package dev.sluice.platform.tracing;

import dev.sluice.schemas.config.ConfigReader;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.kafka.common.config.ConfigException;

/**
 * Where a process's spans go. Spans are always made (their ids travel in Kafka headers and log
 * lines); they leave the process only over OTLP/HTTP (protobuf), and only when an endpoint is
 * configured:
 *
 * <ul>
 *   <li>{@value #OTLP_ENDPOINT} (file key; {@code SLUICE_TRACING_OTLP_ENDPOINT}): the collector's
 *       base URL, e.g. {@code http://otel-collector:4318}; {@code /v1/traces} is appended;
 *   <li>else the standard {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} (the full URL, used as given)
 *       or {@code OTEL_EXPORTER_OTLP_ENDPOINT} (a base URL, as above);
 *   <li>{@code OTEL_EXPORTER_OTLP_HEADERS} ({@code key=value,...}): headers sent with every export,
 *       e.g. a collector's API key, from the environment only;
 *   <li>{@value #SERVICE_NAME} ({@code SLUICE_TRACING_SERVICE_NAME}), else {@code OTEL_SERVICE_NAME},
 *       else the component's default ({@code sluice-ingress}, {@code sluice-worker}, ...).
 * </ul>
 *
 * @param serviceName the {@code service.name} of the process's spans
 * @param otlpTracesEndpoint the full OTLP/HTTP traces URL, empty when nothing is exported
 * @param otlpHeaders headers sent with every export
 */
public record TracingSettings(String serviceName, Optional<URI> otlpTracesEndpoint, Map<String, String> otlpHeaders) {
  /** The collector's base URL (file key). */
  public static final String OTLP_ENDPOINT = "tracing.otlp.endpoint";
  /** The service name of the process's spans (file key). */
  public static final String SERVICE_NAME = "tracing.service.name";
  static final String ENV_TRACES_ENDPOINT = "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT";
  static final String ENV_ENDPOINT = "OTEL_EXPORTER_OTLP_ENDPOINT";
  static final String ENV_HEADERS = "OTEL_EXPORTER_OTLP_HEADERS";
  static final String ENV_SERVICE_NAME = "OTEL_SERVICE_NAME";
  private static final String TRACES_PATH = "/v1/traces";

  public TracingSettings {
    Objects.requireNonNull(serviceName, "serviceName");
    Objects.requireNonNull(otlpTracesEndpoint, "otlpTracesEndpoint");
    otlpHeaders = Map.copyOf(otlpHeaders);
  }

  /** Spans with ids but no exporter. */
  public static TracingSettings notExported(String serviceName) {
    return new TracingSettings(serviceName, Optional.empty(), Map.of());
  }

  /**
   * Reads the settings.
   *
   * @param defaultServiceName the component's service name, e.g. {@code sluice-ingress}
   * @param properties the component's settings (file keys, {@code SLUICE_*} overrides applied)
   * @param environment the process environment, for the standard {@code OTEL_*} variables
   * @throws ConfigException naming every problem, in Kafka's words
   */
  public static TracingSettings read(String defaultServiceName, Map<String, ?> properties, Map<String, String> environment) {
    ConfigReader config = new ConfigReader(properties);
    Optional<URI> endpoint = Optional.empty();
    Optional<String> base = config.string(OTLP_ENDPOINT);
    if (base.isPresent()) {
      endpoint = url(config, OTLP_ENDPOINT, base.get(), true);
    } else if (present(environment, ENV_TRACES_ENDPOINT)) {
      endpoint = url(config, ENV_TRACES_ENDPOINT, environment.get(ENV_TRACES_ENDPOINT).strip(), false);
    } else if (present(environment, ENV_ENDPOINT)) {
      endpoint = url(config, ENV_ENDPOINT, environment.get(ENV_ENDPOINT).strip(), true);
    }
    Map<String, String> headers = headers(config, environment.get(ENV_HEADERS));
    String serviceName = config.string(SERVICE_NAME)
        .orElse(present(environment, ENV_SERVICE_NAME) ? environment.get(ENV_SERVICE_NAME).strip() : defaultServiceName);
    config.throwIfInvalid();
    return new TracingSettings(serviceName, endpoint, headers);
  }

  /** One line for the start-up log. */
  public String describe() {
    return otlpTracesEndpoint.map(url -> "spans of " + serviceName + " exported over OTLP/HTTP to " + url)
        .orElse("spans of " + serviceName + " not exported (no OTLP endpoint configured)");
  }

  private static Optional<URI> url(ConfigReader config, String key, String value, boolean base) {
    URI uri;
    try {
      uri = new URI(base ? value.replaceAll("/+$", "") + TRACES_PATH : value);
    } catch (URISyntaxException e) {
      config.invalid(key, value, "must be an http:// or https:// URL (" + e.getReason() + ")");
      return Optional.empty();
    }
    if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
      return Optional.of(uri);
    }
    config.invalid(key, value, "must be an http:// or https:// URL");
    return Optional.empty();
  }

  private static Map<String, String> headers(ConfigReader config, String value) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (value == null || value.isBlank()) {
      return headers;
    }
    for (String pair : value.split(",")) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        config.invalid(ENV_HEADERS, "(not shown)", "must be key=value pairs separated by commas");
        return Map.of();
      }
      headers.put(pair.substring(0, equals).strip(), pair.substring(equals + 1).strip());
    }
    return headers;
  }

  private static boolean present(Map<String, String> environment, String variable) {
    String value = environment.get(variable);
    return value != null && !value.isBlank();
  }
}
