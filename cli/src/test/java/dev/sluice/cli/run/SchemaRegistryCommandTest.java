package dev.sluice.cli.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Sluice;
import dev.sluice.testkit.KafkaCluster;
import dev.sluice.testkit.RealKafka;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice registry} as its own process against an existing cluster: serves the REST API and stops on SIGTERM. */
@RealKafka
@Timeout(120)
class SchemaRegistryCommandTest {

  @Test
  void servesTheRegistryApiOnAnExistingClusterAndStopsCleanlyOnSigterm(KafkaCluster kafka, @TempDir Path dir) throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path log = dir.resolve("registry.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process registry = new ProcessBuilder(java, "-Dorg.apache.avro.SERIALIZABLE_PACKAGES=dev.sluice.avro", "-cp",
        System.getProperty("java.class.path"), Sluice.class.getName(), "registry", "--bootstrap-servers", kafka.bootstrapServers(),
        "--port", Integer.toString(port), "--topic", "_schemas_cmd").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      HttpClient http = HttpClient.newHttpClient();
      HttpRequest subjects = HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/subjects")).timeout(Duration.ofSeconds(5)).build();
      HttpResponse<String> answer = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (answer == null && System.nanoTime() < deadline) {
        try {
          answer = http.send(subjects, HttpResponse.BodyHandlers.ofString());
        } catch (IOException notYet) {
          assertThat(registry.isAlive()).as(Files.readString(log)).isTrue();
          Thread.sleep(200);
        }
      }
      assertThat(answer).as(Files.readString(log)).isNotNull();
      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(answer.body()).isEqualTo("[]");
      assertThat(Files.readString(log)).contains("Schema registry URL : http://localhost:" + port);

      registry.destroy();
      assertThat(registry.waitFor(30, TimeUnit.SECONDS)).isTrue();
      assertThat(registry.exitValue()).as(Files.readString(log)).isIn(0, 143);
    } finally {
      registry.destroyForcibly();
    }
  }
}
