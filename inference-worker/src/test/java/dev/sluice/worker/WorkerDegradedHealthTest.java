package dev.sluice.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A worker whose only broker goes away says so in its health answers, stays live, and serves again once the broker is back. */
@RealKafka(brokers = 1, dedicatedController = true, schemaRegistry = true)
@Timeout(300)
class WorkerDegradedHealthTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void reportsTheLostBrokerAsDegradedWithoutFailingLiveness(KafkaCluster kafka) throws Exception {
    try (RealBrokerRig rig = new RealBrokerRig(kafka, "degraded", 2)) {
      rig.deploy("v1");
      WorkerService worker = rig.startWorker("worker-d");
      rig.sendRequests(0, 20);
      rig.awaitResults(20);
      assertThat(get(worker, "/health/ready").body()).contains("\"degraded\":false");

      kafka.stopBroker(0);
      RealBrokerRig.await(() -> get(worker, "/health/ready").body().contains("\"degraded\":true"),
          () -> "degraded readiness, now " + get(worker, "/health/ready").body());
      HttpResponse<String> ready = get(worker, "/health/ready");
      assertThat(ready.body()).contains("degraded: no connection to any Kafka broker for");
      assertThat(get(worker, "/health/live").statusCode()).isEqualTo(200);
      assertThat(get(worker, "/metrics").body()).contains("sluice_kafka_connected 0.0");

      kafka.restartBroker(0);
      RealBrokerRig.await(() -> get(worker, "/health/ready").body().contains("\"degraded\":false"),
          () -> "readiness after the broker is back, now " + get(worker, "/health/ready").body());
      rig.sendRequests(20, 40);
      rig.awaitResults(40);
      assertThat(worker.worker().failure()).isEmpty();
    }
  }

  private HttpResponse<String> get(WorkerService worker, String path) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + worker.httpPort() + path)).GET().build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
