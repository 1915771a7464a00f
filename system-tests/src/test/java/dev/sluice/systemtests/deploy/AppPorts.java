package dev.sluice.systemtests.deploy;

import dev.sluice.cli.CommandLines;
import dev.sluice.gateway.GatewayConfig;
import dev.sluice.topology.ingress.IngressConfig;
import dev.sluice.topology.monitor.MonitorConfig;
import dev.sluice.worker.WorkerConfig;
import java.util.Map;
import picocli.CommandLine;

/** The port a sluice command serves HTTP on (metrics and health, or the registry's API), as the app reads its settings. */
final class AppPorts {
  private AppPorts() {}

  static int httpPort(CommandLine command, Map<String, String> environment) {
    String name = CommandLines.commandName(command);
    return switch (name) {
      case "ingress" -> IngressConfig.parse(CommandLines.componentSettings(command, environment)).httpPort();
      case "monitor" -> MonitorConfig.parse(CommandLines.componentSettings(command, environment)).httpPort();
      case "worker" -> WorkerConfig.parse(CommandLines.componentSettings(command, environment)).httpPort();
      case "registry" -> (Integer) CommandLines.optionValue(command, "--port");
      // the ops port alone, without the TLS files and keys a full parse reads
      case "gateway" -> Integer.parseInt(CommandLines.componentSettings(command, environment)
          .getOrDefault(GatewayConfig.OPS_PORT, Integer.toString(GatewayConfig.DEFAULT_OPS_PORT)));
      default -> throw new AssertionError("sluice " + name + " serves no HTTP");
    };
  }
}
