package dev.sluice.systemtests.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.DeployableMain;
import dev.sluice.systemtests.DeployableJars;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Each runnable's image jar (deployables/target) holds only what its command loads, and runs that
 * command: the registry's no model runtime, RocksDB or broker; the ingress's and the monitor's no
 * model runtime and no models; the gateway's none of those and no Kafka Streams; the worker's no broker; none a native library for a platform the
 * images do not run on (they run glibc Linux on x86-64 or aarch64).
 */
class DeployableJarsTest {
  private static final Map<String, List<String>> FORBIDDEN = Map.of(
      "registry", List.of("ai/djl/", "ai/onnxruntime/", "org/rocksdb/", "kafka/server/", "org/apache/kafka/streams/", "models/"),
      "ingress", List.of("ai/djl/", "ai/onnxruntime/", "kafka/server/", "models/"),
      "monitor", List.of("ai/djl/", "ai/onnxruntime/", "kafka/server/", "models/"),
      "gateway", List.of("ai/djl/", "ai/onnxruntime/", "org/rocksdb/", "kafka/server/", "org/apache/kafka/streams/", "models/"),
      "worker", List.of("kafka/server/", "org/rocksdb/", "org/apache/kafka/streams/"));
  private static final Map<String, String> REQUIRED = Map.of(
      "registry", "dev/sluice/schemaregistry/EmbeddedSchemaRegistry.class",
      "ingress", "org/rocksdb/RocksDB.class",
      "monitor", "dev/sluice/topology/monitor/MonitorApp.class",
      "gateway", "org/eclipse/jetty/http2/server/HTTP2ServerConnectionFactory.class",
      "worker", "models/all-minilm-l6-v2/model.onnx");

  @Test
  void eachJarHoldsWhatItsCommandLoadsAndNothingOfTheOthers() throws IOException {
    for (String runnable : DeployableJars.RUNNABLES) {
      Path jar = DeployableJars.of(runnable);
      List<String> entries = DeployableJars.entries(jar);
      assertThat(entries).as(runnable).contains(REQUIRED.get(runnable), "dev/sluice/cli/DeployableMain.class");
      for (String prefix : FORBIDDEN.get(runnable)) {
        assertThat(entries).as(runnable + "'s jar holds nothing under " + prefix).noneMatch(entry -> entry.startsWith(prefix));
      }
      assertThat(entries).as(runnable + ": natives for macOS or Windows")
          .noneMatch(entry -> entry.endsWith(".dylib") || entry.endsWith(".jnilib") || entry.endsWith(".dll"));
      assertThat(entries).as(runnable + ": natives for Linux other than x86-64 and aarch64")
          .noneMatch(entry -> entry.matches(".*(ppc64le|s390x|riscv64|musl|loongarch64|mips64|android).*\\.so"));
      assertThat(DeployableJars.manifestAttribute(jar, "Main-Class")).isEqualTo(DeployableMain.class.getName());
    }
  }

  @Test
  void theGatewayJarHoldsTheMcpServerItServesAtSlashMcp() throws IOException {
    assertThat(DeployableJars.entries(DeployableJars.of("gateway"))).contains("dev/sluice/mcp/SluiceMcp.class",
        "io/modelcontextprotocol/server/transport/HttpServletStreamableServerTransportProvider.class",
        "io/modelcontextprotocol/json/jackson2/JacksonMcpJsonMapper.class", "org/eclipse/jetty/ee10/servlet/ServletContextHandler.class",
        "jakarta/servlet/http/HttpServlet.class", "reactor/core/publisher/Mono.class", "org/reactivestreams/Publisher.class",
        "com/networknt/schema/ExecutionConfig.class");
  }

  @Test
  void eachJarRunsItsOwnCommandAndRefusesTheOthers() throws Exception {
    for (String runnable : DeployableJars.RUNNABLES) {
      Run help = run(DeployableJars.of(runnable), runnable, "--help");
      assertThat(help.exit()).as(runnable + " --help: " + help.output()).isZero();
      assertThat(help.output()).contains("Usage: sluice " + runnable);
      String other = runnable.equals("worker") ? "ingress" : "worker";
      Run refused = run(DeployableJars.of(runnable), other);
      assertThat(refused.exit()).as(runnable + "'s jar running " + other + ": " + refused.output()).isEqualTo(2);
      assertThat(refused.output()).contains("Unmatched argument").contains(other);
    }
  }

  private record Run(int exit, String output) {}

  private static Run run(Path jar, String... args) throws IOException, InterruptedException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> line = new ArrayList<>(List.of(java, "-jar", jar.toString()));
    line.addAll(List.of(args));
    Process process = new ProcessBuilder(line).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
      throw new AssertionError(String.join(" ", line) + " did not exit within 60 s");
    }
    return new Run(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
