package dev.sluice.worker;

import static dev.sluice.worker.WorkerHarness.request;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class WorkerHttpServerTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void servesHealthAsJsonAndTheMetricsForPrometheus() throws Exception {
    WorkerHarness harness = new WorkerHarness();
    try (WorkerHttpServer server = WorkerHttpServer.start(0, harness.meters::scrape, harness.worker::isLive, harness.worker::readiness)) {
      HttpResponse<String> starting = get(server, "/health/ready");
      assertThat(starting.statusCode()).isEqualTo(503);
      assertThat(starting.body()).isEqualTo("{\"component\":\"worker\",\"check\":\"ready\",\"ok\":false,\"degraded\":false,\"detail\":\"starting\"}");
      assertThat(starting.headers().firstValue("Content-Type")).contains("application/json; charset=utf-8");
      assertThat(get(server, "/health/live").statusCode()).isEqualTo(503);

      harness.startServing();
      for (int i = 0; i < 4; i++) {
        harness.offer(0, request("r" + i, "v1", "text " + i));
      }
      harness.step();

      assertThat(get(server, "/health/live").body())
          .isEqualTo("{\"component\":\"worker\",\"check\":\"live\",\"ok\":true,\"degraded\":false,\"detail\":\"the worker loop runs\"}");
      HttpResponse<String> ready = get(server, "/health/ready");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(ready.body()).startsWith("{\"component\":\"worker\",\"check\":\"ready\",\"ok\":true,\"degraded\":false,"
          + "\"detail\":\"serving model minilm versions [v1]");
      String metrics = get(server, "/metrics").body();
      assertThat(metrics).contains("sluice_worker_results_total{model=\"minilm\",status=\"OK\",version=\"v1\"} 4.0");
      assertThat(metrics).contains("sluice_worker_inference_seconds_bucket{model=\"minilm\",version=\"v1\"");
      assertThat(metrics).contains("sluice_worker_end_to_end_seconds_bucket{model=\"minilm\",status=\"OK\",version=\"v1\"");
      assertThat(metrics).contains("sluice_worker_batch_size_requests_count{model=\"minilm\",version=\"v1\"} 1");
      assertThat(metrics).contains("sluice_worker_queue_depth_requests{model=\"minilm\"} 0.0");
      assertThat(metrics).contains("sluice_worker_model_load_seconds_count{model=\"minilm\",outcome=\"success\",version=\"v1\"} 1");
    }
  }

  private HttpResponse<String> get(WorkerHttpServer server, String path) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + server.port() + path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
