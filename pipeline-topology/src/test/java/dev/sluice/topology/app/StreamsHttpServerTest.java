package dev.sluice.topology.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StreamsHttpServerTest {
  private final AtomicReference<KafkaStreams.State> state = new AtomicReference<>(KafkaStreams.State.CREATED);
  private final HttpClient client = HttpClient.newHttpClient();
  private StreamsHttpServer server;

  @BeforeEach
  void start() throws Exception {
    server = StreamsHttpServer.start("ingress", 0, () -> "sluice_ingress_records_in_total{stage=\"DECODE\"} 3.0\n", state::get, java.util.Optional::empty);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void isReadyOnlyWhileRunningAndLiveUntilItFails() throws Exception {
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    state.set(KafkaStreams.State.RUNNING);
    assertThat(get("/health/ready").statusCode()).isEqualTo(200);
    assertThat(get("/health/ready").body())
        .isEqualTo("{\"component\":\"ingress\",\"check\":\"ready\",\"ok\":true,\"degraded\":false,\"detail\":\"RUNNING\"}");
    state.set(KafkaStreams.State.ERROR);
    assertThat(get("/health/live").statusCode()).isEqualTo(503);
    assertThat(get("/health/ready").statusCode()).isEqualTo(503);
  }

  @Test
  void servesThePrometheusScrape() throws Exception {
    HttpResponse<String> response = get("/metrics");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/plain"));
    assertThat(response.body()).contains("sluice_ingress_records_in_total");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return client.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
