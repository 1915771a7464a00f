package dev.sluice.platform.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class OpsHttpServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesItsThreePathsExactlyAndNothingThatMerelyStartsWithThem() throws Exception {
    try (OpsHttpServer server = OpsHttpServer.start(0, () -> "up 1\n", () -> HealthAnswer.text(true, "live"),
        () -> HealthAnswer.json(false, "{\"ready\":false}"))) {
      assertThat(get(server, "/metrics").body()).isEqualTo("up 1\n");
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
      assertThat(get(server, "/health/readyz").statusCode()).isEqualTo(404);
      assertThat(get(server, "/metrics/extra").statusCode()).isEqualTo(404);
      assertThat(get(server, "/").statusCode()).isEqualTo(404);
    }
  }

  private HttpResponse<String> get(OpsHttpServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
