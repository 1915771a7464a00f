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
    try (OpsHttpServer server = OpsHttpServer.start(0, () -> "up 1\n",
        () -> HealthAnswer.of("test", HealthAnswer.Check.LIVE, true, false, "live"),
        () -> HealthAnswer.of("test", HealthAnswer.Check.READY, false, false, "not yet"))) {
      assertThat(get(server, "/metrics").body()).isEqualTo("up 1\n");
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(server, "/health/ready").statusCode()).isEqualTo(503);
      assertThat(get(server, "/health/readyz").statusCode()).isEqualTo(404);
      assertThat(get(server, "/metrics/extra").statusCode()).isEqualTo(404);
      assertThat(get(server, "/").statusCode()).isEqualTo(404);
    }
  }

  @Test
  void everyComponentAnswersInOneJsonShape() throws Exception {
    try (OpsHttpServer server = OpsHttpServer.start(0, () -> "",
        () -> HealthAnswer.of("worker", HealthAnswer.Check.LIVE, true, true, "degraded: no broker for 12 s; a \"quoted\"\nline"),
        () -> HealthAnswer.of("worker", HealthAnswer.Check.READY, false, false, "starting"))) {
      HttpResponse<String> live = get(server, "/health/live");
      HttpResponse<String> ready = get(server, "/health/ready");

      assertThat(live.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
      assertThat(live.body()).isEqualTo("{\"component\":\"worker\",\"check\":\"live\",\"ok\":true,\"degraded\":true,"
          + "\"detail\":\"degraded: no broker for 12 s; a \\\"quoted\\\"\\nline\"}");
      assertThat(ready.statusCode()).isEqualTo(503);
      assertThat(ready.body()).isEqualTo("{\"component\":\"worker\",\"check\":\"ready\",\"ok\":false,\"degraded\":false,"
          + "\"detail\":\"starting\"}");
    }
  }

  private HttpResponse<String> get(OpsHttpServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
