package dev.sluice.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Map;
import org.apache.kafka.common.config.ConfigException;
import org.junit.jupiter.api.Test;

class TracingSettingsTest {

  @Test
  void exportsNothingUntilAnEndpointIsConfigured() {
    TracingSettings settings = TracingSettings.read("sluice-worker", Map.of(), Map.of());

    assertThat(settings.otlpTracesEndpoint()).isEmpty();
    assertThat(settings.serviceName()).isEqualTo("sluice-worker");
  }

  @Test
  void theSettingIsABaseUrlAndWinsOverTheStandardVariables() {
    TracingSettings settings = TracingSettings.read("sluice-worker", Map.of(TracingSettings.OTLP_ENDPOINT, "http://collector:4318/"),
        Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://elsewhere:4318", "OTEL_SERVICE_NAME", "workers-eu"));

    assertThat(settings.otlpTracesEndpoint()).contains(URI.create("http://collector:4318/v1/traces"));
    assertThat(settings.serviceName()).isEqualTo("workers-eu");
  }

  @Test
  void readsTheStandardVariablesTracesEndpointFirst() {
    assertThat(TracingSettings.read("s", Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://c:4318")).otlpTracesEndpoint())
        .contains(URI.create("https://c:4318/v1/traces"));
    assertThat(TracingSettings.read("s", Map.of(), Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "https://c:4318",
        "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "https://t:4318/custom")).otlpTracesEndpoint()).contains(URI.create("https://t:4318/custom"));
    assertThat(TracingSettings.read("s", Map.of(), Map.of("OTEL_EXPORTER_OTLP_HEADERS", "api-key=secret, x=y")).otlpHeaders())
        .containsEntry("api-key", "secret").containsEntry("x", "y");
  }

  @Test
  void reportsAnEndpointThatIsNotAnHttpUrlInKafkasWords() {
    assertThatThrownBy(() -> TracingSettings.read("s", Map.of(TracingSettings.OTLP_ENDPOINT, "collector:4317"), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessage("Invalid value collector:4317 for configuration tracing.otlp.endpoint: must be an http:// or https:// URL");
  }
}
