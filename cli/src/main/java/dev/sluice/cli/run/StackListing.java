package dev.sluice.cli.run;

import dev.sluice.avro.ModelDeployment;
import dev.sluice.stack.PipelineStack;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/** Prints where a running pipeline listens. */
final class StackListing {
  private StackListing() {}

  static void print(PrintWriter out, PipelineStack stack) {
    String host = stack.host();
    out.println();
    out.printf("Kafka bootstrap servers : %s%n", stack.bootstrapServers());
    out.printf("Schema registry URL     : %s%n", stack.schemaRegistryUrl());
    out.printf("Requests topic          : %s%n", stack.topics().requests());
    out.printf("Results topic           : %s (dead letters: %s)%n", stack.topics().results(), stack.topics().rejected());
    out.printf("Dashboard               : %s%n", stack.dashboardUrl());
    out.printf("HTTP gateway            : %s/v1/embeddings   %s/v1/models   (ops: http://%s:%d/health/ready)%n", stack.gatewayUrl(),
        stack.gatewayUrl(), host, stack.gatewayOpsPort());
    out.printf("Ingress                 : http://%s:%d/metrics   http://%s:%d/health/ready%n", host, stack.ingressPort(), host,
        stack.ingressPort());
    out.printf("Monitoring              : http://%s:%d/metrics   http://%s:%d/health/ready   (snapshots on %s, alerts on %s)%n", host,
        stack.monitorPort(), host, stack.monitorPort(), stack.topics().metrics(), stack.topics().alerts());
    List<Integer> ports = stack.workerPorts();
    for (int i = 0; i < ports.size(); i++) {
      out.printf("Worker local-%d          : http://%s:%d/metrics   http://%s:%d/health/ready%n", i, host, ports.get(i), host, ports.get(i));
    }
    for (ModelDeployment d : stack.deployments()) {
      out.printf(Locale.ROOT, "Model                   : %s/%s  weight %.2f%s  %s%n", d.getModel(), d.getVersion(), d.getTrafficWeight(),
          d.getShadow() ? " (shadow)" : "", d.getArtifactUri());
    }
    out.flush();
  }
}
